package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haven.restic.Restic;
import io.haven.testing.GenData;
import io.haven.testing.TreeSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A location that is a restic repository, through the command line as a user has it: added
 * (made, or opened where restic made it), backups copied in, listed, restored on a second
 * machine, removed and pruned, each step checked by restic itself.
 */
class ResticLocationCommandTest {
  @TempDir Path tmp;
  String out;
  String err;

  int run(Path config, String... args) {
    Cli.Run r = Cli.run(config, args);
    out = r.out();
    err = r.err();
    return r.code();
  }

  Path config(Path dir) throws Exception {
    return OffsiteCommandTest.config(dir, tmp.resolve("locations.yaml"));
  }

  Path passwordFile(String name, String password) throws Exception {
    Path f = tmp.resolve(name);
    Files.writeString(f, password + "\n");
    return f;
  }

  @Test
  void backupsGoInComeOutAndResticAgrees() throws Exception {
    Restic.program();
    Path vault = tmp.resolve("vault");
    Restic restic = new Restic(vault, tmp);
    Path first = tmp.resolve("first");
    Path config = config(first);
    GenData.copyTo(first.resolve("root"), 4);
    Path password = passwordFile("vault-password", Restic.PASSWORD);

    assertEquals(0, run(config, "locations", "add", "vault", "restic+" + vault.toUri(),
        "--password-file", password.toString()), err);
    assertTrue(out.contains("Made an empty restic repository"), out);
    restic.run("check");

    assertEquals(0, run(config, "backups", "new", "--name", "one", "-l", "vault"), err);
    String one = out.trim();
    assertTrue(err.contains("copied to vault: snapshot "), err);
    Files.writeString(first.resolve("root/share/changed.txt"), "before the second backup\n");
    Map<String, String> second = TreeSnapshot.of(first.resolve("root"),
        OffsiteCommandTest.NOT_BACKED_UP);
    assertEquals(0, run(config, "backups", "new", "--name", "two"), err);
    String two = out.trim();
    assertEquals(0, run(config, "backups", "copy", two, "--to", "vault"), err);
    assertTrue(err.contains("copied to vault: snapshot "), err);

    restic.run("check", "--read-data");
    List<String> tags = new ArrayList<>();
    new ObjectMapper().readTree(restic.run("snapshots", "--json"))
        .forEach(s -> tags.add(s.get("tags").get(0).asText()));
    assertEquals(List.of(one, two), tags);

    // A second machine: an empty data root and backup directory, the same locations.
    Path other = tmp.resolve("second");
    Path config2 = config(other);
    assertEquals(0, run(config2, "backups", "list", "--location", "vault", "--raw-json"), err);
    JsonNode listed = new ObjectMapper().readTree(out).at("/data/backups");
    assertEquals(2, listed.size(), out);
    assertEquals(one, listed.get(0).get("slug").asText());
    assertEquals("two", listed.get(1).get("name").asText());

    assertEquals(0, run(config2, "backups", "restore", two, "--from", "vault"), err);
    TreeSnapshot.assertSame(second, TreeSnapshot.of(other.resolve("root"),
        OffsiteCommandTest.NOT_BACKED_UP), "the data root restored from the repository");
    assertEquals(List.of(), tars(other.resolve("backup")),
        "the restore streams from the repository: no archive is made");

    assertEquals(0, run(config2, "backups", "remove", one, "--location", "vault", "--yes"), err);
    assertEquals(0, run(config2, "backups", "list", "--location", "vault"), err);
    assertFalse(out.contains(one), out);
    assertTrue(out.contains(two), out);
    restic.run("check", "--read-data");
  }

  @Test
  void aRepositoryResticMadeIsOpenedAndAWrongPasswordRefused() throws Exception {
    Restic.program();
    Path vault = tmp.resolve("vault");
    Restic restic = new Restic(vault, tmp);
    restic.run("init", "--repository-version", "2");
    Path config = config(tmp.resolve("a"));

    assertEquals(11, run(config, "locations", "add", "vault", "restic+" + vault.toUri(),
        "--password-file", passwordFile("wrong", "not the password").toString()));
    assertTrue(err.contains("Wrong password"), err);
    assertFalse(err.contains("Exception"), err);
    assertEquals(0, run(config, "locations", "list"), err);
    assertFalse(out.contains("vault"), "a location that did not open is not added: " + out);

    assertEquals(0, run(config, "locations", "add", "vault", "restic+" + vault.toUri(),
        "--password-file", passwordFile("right", Restic.PASSWORD).toString()), err);
    assertTrue(out.contains("Opened the restic repository"), out);
    assertTrue(out.contains("holds 0 backups"), out);
  }

  private static List<Path> tars(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".tar")).toList();
    }
  }
}
