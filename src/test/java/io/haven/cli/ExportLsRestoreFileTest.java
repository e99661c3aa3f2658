package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haven.archive.BackupArchive;
import io.haven.archive.HavenFacts;
import io.haven.testing.GenData;
import io.haven.testing.TreeSnapshot;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export between forms, ls and single-file restore, each checked against an outside view. */
class ExportLsRestoreFileTest {
  static final String PW = "correct horse";

  @TempDir Path tmp;

  @BeforeAll
  static void needsPython() throws Exception {
    Cli.needPythonCrypto();
  }

  Cli nativeBackup() throws Exception {
    return new Cli(tmp, GenData.copyTo(tmp.resolve("source"), CompatArchiveTest.SCALE_MB));
  }

  String newBackup(Cli cli, String... extra) {
    String name = "backup " + java.util.UUID.randomUUID();
    String[] args = java.util.stream.Stream.concat(
        java.util.stream.Stream.of("backups", "new", "--name", name, "--password", PW),
        java.util.stream.Stream.of(extra)).toArray(String[]::new);
    return cli.run(args).ok().out().trim();
  }

  @Test
  void exportNativeToCompatAndBackKeepsTheTree() throws Exception {
    Cli cli = nativeBackup();
    String slug = newBackup(cli); // zstd, SecureTar v3
    Path compat = tmp.resolve("for-home-assistant.tar");
    cli.run("export", slug, compat.toString(), "--compat", "--password", PW,
        "--new-password", "kit-key").ok();

    Path restored = tmp.resolve("ha-restored");
    Cli.reader("extract", compat.toString(), restored.toString(), "--password", "kit-key");
    TreeSnapshot.assertSame(TreeSnapshot.of(cli.root, CompatArchiveTest.NOT_BACKED_UP),
        TreeSnapshot.of(restored, CompatArchiveTest.NOT_BACKED_UP), "compat export");

    Path back = tmp.resolve("back.tar");
    cli.run("export", compat.toString(), back.toString(), "--password", "kit-key").ok();
    // A protected part's digest in backup.json is keyed from its own key, so it differs between
    // the copies; the tar bytes themselves are the same.
    Map<String, String> original = tarHashes(cli.backupDir.resolve(slug + ".tar"), PW);
    assertEquals(original, tarHashes(compat, "kit-key"), "the tar bytes of every part are kept");
    assertEquals(original, tarHashes(back, "kit-key"));
    try (BackupArchive a = BackupArchive.open(back)) {
      assertEquals("zstd", a.metadata().get().haven().get().compression().toString());
      assertTrue(a.metadata().get().isProtected());
    }
    // ... and the native copy imports (a second slug is refused, so into another store) and
    // restores the same tree.
    Files.createDirectories(tmp.resolve("other"));
    Cli other = new Cli(tmp.resolve("other"), tmp.resolve("other-root"));
    other.run("backups", "import", back.toString(), "--password", "kit-key").ok();
    other.run("backups", "restore", slug, "--password", "kit-key").ok();
    TreeSnapshot.assertSame(TreeSnapshot.of(cli.root, CompatArchiveTest.NOT_BACKED_UP),
        TreeSnapshot.of(other.root, CompatArchiveTest.NOT_BACKED_UP), "native again");
  }

  @Test
  void exportWithWrongPasswordIsRefusedAndWritesNothing() throws Exception {
    Cli cli = nativeBackup();
    String slug = newBackup(cli, "--folders", "ssl");
    Path out = tmp.resolve("out.tar");
    Cli.Run r = cli.run("export", slug, out.toString(), "--compat", "--password", "wrong");
    assertEquals(11, r.code(), r.err());
    assertTrue(r.err().startsWith("error: Wrong password for backup '" + slug + "'"), r.err());
    try (var s = Files.list(tmp)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().contains("out.tar")));
    }
  }

  @Test
  void lsListsTheSameEntriesAsHomeAssistantsReader() throws Exception {
    Cli cli = nativeBackup();
    String slug = newBackup(cli, "--compat", "--encryption", "v3");
    JsonNode haven = new ObjectMapper().readTree(
        cli.run("ls", slug, "--password", PW, "--raw-json").ok().out()).get("data").get("entries");
    JsonNode python = new ObjectMapper().readTree(Cli.reader("list",
        cli.backupDir.resolve(slug + ".tar").toString(), "--password", PW));
    Set<String> fromHaven = new TreeSet<>();
    haven.forEach(e -> fromHaven.add(line(e.get("part").asText(), e.get("name").asText(), e)));
    Set<String> fromPython = new TreeSet<>();
    python.forEach(e -> fromPython.add(line(e.get("part").asText(),
        io.haven.archive.ArchiveListing.normalise(e.get("path").asText()), e)));
    assertEquals(fromPython, fromHaven);
    assertTrue(fromHaven.size() > 200, "a gendata root has many entries: " + fromHaven.size());

    String only = cli.run("ls", slug, "homeassistant/data/www", "--password", PW).ok().out();
    assertTrue(only.lines().allMatch(l -> l.contains(" homeassistant/data/www")), only);
    assertTrue(only.contains("Ünïcødé ファイル.yaml"), only);
  }

  private static String line(String part, String name, JsonNode e) {
    return part + " " + name + " " + e.get("type").asText() + " " + e.get("size").asLong() + " "
        + Integer.toOctalString(e.get("mode").asInt()) + " " + e.get("mtime").asLong() + " "
        + (e.get("link").isNull() ? "" : e.get("link").asText());
  }

  @Test
  void singleFileRestoreGivesTheExactBytesAndModeBesideTheDataRoot() throws Exception {
    Cli cli = nativeBackup();
    String slug = newBackup(cli); // v3
    Path file = cli.root.resolve("config/www/Ünïcødé ファイル.yaml");
    Files.setPosixFilePermissions(cli.root.resolve("ssl/privkey.pem"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    String ssl = newBackup(cli, "--folders", "ssl");

    Cli.Run r = cli.run("restore-file", slug, "homeassistant/data/www/Ünïcødé ファイル.yaml",
        "--password", PW).ok();
    Path restored = cli.root.getParent().resolve("haven-restored-" + slug + "-1")
        .resolve(file.getFileName().toString());
    assertTrue(r.out().contains(restored.toString()), r.out());
    assertEquals(describe(file), describe(restored));

    Path into = tmp.resolve("picked");
    cli.run("restore-file", ssl, "ssl/privkey.pem", "--to", into.toString(), "--password", PW)
        .ok();
    assertEquals(describe(cli.root.resolve("ssl/privkey.pem")),
        describe(into.resolve("privkey.pem")));
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(into.resolve("privkey.pem"))));

    // A directory comes back whole; an existing name is never overwritten.
    cli.run("restore-file", slug, "homeassistant/data/www", "--to", into.toString(),
        "--password", PW).ok();
    TreeSnapshot.assertSame(TreeSnapshot.of(cli.root.resolve("config/www")),
        TreeSnapshot.of(into.resolve("www")), "restored directory");
    Files.writeString(into.resolve("www/mine.txt"), "kept");
    Cli.Run again = cli.run("restore-file", slug, "homeassistant/data/www", "--to",
        into.toString(), "--password", PW);
    assertEquals(2, again.code(), again.err());
    assertTrue(again.err().contains("already exists; nothing was restored"), again.err());
    assertEquals("kept", Files.readString(into.resolve("www/mine.txt")));

    Cli.Run missing = cli.run("restore-file", slug, "homeassistant/data/nope.yaml",
        "--to", tmp.resolve("x").toString(), "--password", PW);
    assertEquals(4, missing.code(), missing.err());
    assertTrue(missing.err().contains("has no 'homeassistant/data/nope.yaml'"), missing.err());
    assertFalse(Files.exists(tmp.resolve("x/nope.yaml"), LinkOption.NOFOLLOW_LINKS));
    try (var s = Files.list(tmp.resolve("x"))) {
      assertEquals(0, s.count(), "no staging left behind");
    }
  }

  private static String describe(Path p) throws Exception {
    Map<String, String> one = TreeSnapshot.of(p.getParent(),
        rel -> !rel.equals(p.getFileName().toString()));
    return one.values().iterator().next();
  }

  /** Each part's plain tar SHA-256 (read through), size, files and file bytes. */
  private static Map<String, String> tarHashes(Path archive, String password) throws Exception {
    try (BackupArchive a = BackupArchive.open(archive)) {
      HavenFacts f = a.metadata().get().haven().get();
      Map<String, String> out = new TreeMap<>();
      for (io.haven.archive.Part part : a.parts()) {
        var v = f.part(part).orElseThrow();
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        try (var in = a.openPart(part, java.util.Optional.of(
            new io.haven.archive.Secret.Password(password)))) {
          in.tarStream().transferTo(new java.security.DigestOutputStream(
              java.io.OutputStream.nullOutputStream(), sha));
        }
        out.put(part.memberBase(), java.util.HexFormat.of().formatHex(sha.digest()) + " "
            + v.tarSize() + " " + v.files() + " " + v.fileBytes());
      }
      return out;
    }
  }
}
