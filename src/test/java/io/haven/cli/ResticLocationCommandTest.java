package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.haven.agent.BadRequest;
import io.haven.agent.Backups;
import io.haven.agent.OffsiteBackups;
import io.haven.agent.Place;
import io.haven.agent.Service;
import io.haven.archive.Compression;
import io.haven.archive.Part;
import io.haven.archive.SecureTar;
import io.haven.backup.BackupCreator;
import io.haven.backup.BackupRequest;
import io.haven.config.Config;
import io.haven.location.LocationSpec;
import io.haven.location.LoopbackServers;
import io.haven.restic.Restic;
import io.haven.store.AutomaticBackups;
import io.haven.testing.GenData;
import io.haven.testing.TreeSnapshot;
import io.haven.tree.DataRoot;
import io.haven.tree.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    assertEquals(0, run(config2, "backups", "info", two, "--location", "vault"), err);
    assertTrue(out.contains("two") && out.contains("vault: snapshot "), out);
    assertEquals(4, run(config2, "backups", "info", "deadbeef", "--location", "vault"));
    assertEquals(0, run(config2, "backups", "restore", two, "--from", "vault"), err);
    TreeSnapshot.assertSame(second, TreeSnapshot.of(other.resolve("root"),
        OffsiteCommandTest.NOT_BACKED_UP), "the data root restored from the repository");
    assertEquals(List.of(), tars(other.resolve("backup")),
        "the restore streams from the repository: no archive is made");

    // An export built from the snapshot, in the form Home Assistant restores, read by an
    // independent reader of Home Assistant's format.
    Cli.needPythonCrypto();
    Path exported = tmp.resolve("for-home-assistant.tar");
    assertEquals(0, run(config2, "export", two, exported.toString(), "--location", "vault",
        "--compat", "--new-password", "kit-key"), err);
    Path extracted = tmp.resolve("ha-extracted");
    Cli.reader("extract", exported.toString(), extracted.toString(), "--password", "kit-key");
    TreeSnapshot.assertSame(second, TreeSnapshot.of(extracted, OffsiteCommandTest.NOT_BACKED_UP),
        "Home Assistant's reading of the export from the repository");

    assertEquals(0, run(config2, "backups", "remove", one, "--location", "vault", "--yes"), err);
    assertEquals(0, run(config2, "backups", "list", "--location", "vault"), err);
    assertFalse(out.contains(one), out);
    assertTrue(out.contains(two), out);
    restic.run("check", "--read-data");

    // The service knows the repository holds it (its listing of every place, the API's), so a
    // removal that names no place takes it from the repository too.
    Service service = new Service(Config.load(Optional.of(config), Map.of(), first), Clock
        .systemUTC(), "test");
    assertTrue(service.placed(two).places().contains(Place.of("vault")));
    BadRequest download = assertThrows(BadRequest.class, () -> service.openOnce(
        new Place.Named("vault")));
    assertTrue(download.getMessage().contains("haven export SLUG OUT.tar --location vault"),
        download.getMessage());
    service.remove(two, List.of());
    assertEquals("[]", restic.run("snapshots", "--json").trim());
    restic.run("check");
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
    assertEquals(1, keptKeys(), "the master key is kept beside the locations file");
    assertEquals(0, run(config, "locations", "test", "vault"), err);
    assertEquals(List.of("connect: ok", "read: ok"), out.lines().limit(2).toList());
    Files.writeString(tmp.resolve("locations.yaml"), Files.readString(tmp.resolve(
        "locations.yaml")).replace(Restic.PASSWORD, "not the password"));
    assertEquals(14, run(config, "locations", "test", "vault"));
    assertTrue(err.contains("connect failed") && err.contains("Wrong password"), err);
    assertEquals(0, run(config, "locations", "remove", "vault"), err);
    assertEquals(0, keptKeys(), "a removed location's master key goes with it");
  }

  private long keptKeys() throws Exception {
    try (Stream<Path> s = Files.list(tmp.resolve("restic-keys"))) {
      return s.count();
    }
  }

  @Test
  void verifyNamesADamagedPackAndARestoreNeedingItChangesNothing() throws Exception {
    Restic.program();
    Path vault = tmp.resolve("vault");
    Path dir = tmp.resolve("a");
    Path config = config(dir);
    GenData.copyTo(dir.resolve("root"), 4);
    assertEquals(0, run(config, "locations", "add", "vault", "restic+" + vault.toUri(),
        "--password-file", passwordFile("pw", Restic.PASSWORD).toString()), err);
    assertEquals(0, run(config, "backups", "new", "-l", "vault"), err);
    String slug = out.trim();
    assertEquals(0, run(config, "backups", "verify", "--location", "vault", "--read-data"), err);
    assertTrue(out.contains(": intact (every blob read)"), out);

    Path pack;
    try (Stream<Path> s = Files.walk(vault.resolve("data"))) {
      pack = s.filter(Files::isRegularFile).max(java.util.Comparator.comparingLong(
          p -> p.toFile().length())).orElseThrow();
    }
    try (var ch = java.nio.channels.FileChannel.open(pack,
        java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
      var b = java.nio.ByteBuffer.allocate(1);
      ch.read(b, ch.size() / 2);
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) (b.get(0) ^ 0x5a)}), ch.size() / 2);
    }
    assertEquals(10, run(config, "backups", "verify", "--location", "vault", "--read-data"));
    assertTrue(out.contains(pack.getFileName().toString()), "the damaged pack is named: " + out);
    assertTrue(out.contains("DAMAGED"), out);

    Map<String, String> before = TreeSnapshot.of(dir.resolve("root"));
    int code = run(config, "backups", "restore", slug, "--from", "vault");
    assertEquals(10, code, err);
    assertFalse(err.contains("Exception"), err);
    TreeSnapshot.assertSame(before, TreeSnapshot.of(dir.resolve("root")),
        "the data root after a refused restore");
  }

  @Test
  void sftpAndS3RepositoriesAreAddedCopiedToAndCheckedByRestic() throws Exception {
    Restic.program();
    Path dir = tmp.resolve("a");
    Path config = config(dir);
    GenData.copyTo(dir.resolve("root"), 4);
    Path password = passwordFile("pw", Restic.PASSWORD);
    try (LoopbackServers.Server sftp = LoopbackServers.sftp();
        LoopbackServers.Server s3 = LoopbackServers.s3()) {
      LocationSpec nas = sftp.spec("nas", "vault");
      assertEquals(0, run(config, "locations", "add", "nas", "restic+" + nas.url(),
          "--password-file", password.toString(), "--key-file",
          nas.secret(LocationSpec.KEY_FILE).orElseThrow(), "--trust-host-key"), err);
      assertTrue(out.contains("Pinned the host key of 127.0.0.1:" + nas.url().getPort() + ": "
          + nas.option("hostKey").orElseThrow()), out);
      assertTrue(out.contains("Made an empty restic repository"), out);
      LocationSpec cloud = s3.spec("cloud", "vault");
      assertEquals(0, run(config, "locations", "add", "cloud", "restic+" + cloud.url(),
          "--password-file", password.toString(),
          "--option", "accessKey=" + LoopbackServers.S3_ACCESS_KEY,
          "--option", "secretKey=" + LoopbackServers.S3_SECRET_KEY,
          "--option", "endpoint=" + cloud.option("endpoint").orElseThrow(),
          "--option", "pathStyle=true"), err);
      assertEquals(0, run(config, "backups", "new", "-l", "nas", "-l", "cloud"), err);
      String slug = out.trim();
      assertTrue(err.contains("copied to nas: snapshot "), err);
      assertTrue(err.contains("copied to cloud: snapshot "), err);

      String user = nas.url().getUserInfo();
      String ssh = "ssh -i " + nas.secret(LocationSpec.KEY_FILE).orElseThrow() + " -p "
          + nas.url().getPort() + " -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
          + " -o BatchMode=yes -o LogLevel=ERROR " + user + "@127.0.0.1 -s sftp";
      Restic overSftp = new Restic("sftp:" + user + "@127.0.0.1:" + sftp.storage("vault"), tmp,
          List.of("-o", "sftp.command=" + ssh), Map.of());
      Restic overS3 = new Restic("s3:" + cloud.option("endpoint").orElseThrow() + "/"
          + LoopbackServers.S3_BUCKET + "/haven/vault", tmp, List.of(), Map.of(
              "AWS_ACCESS_KEY_ID", LoopbackServers.S3_ACCESS_KEY,
              "AWS_SECRET_ACCESS_KEY", LoopbackServers.S3_SECRET_KEY));
      for (Restic restic : List.of(overSftp, overS3)) {
        restic.run("check", "--read-data");
        assertTrue(restic.run("snapshots", "--json").contains("\"" + slug + "\""));
      }
      for (String location : List.of("nas", "cloud")) {
        assertEquals(0, run(config, "backups", "list", "--location", location), err);
        assertTrue(out.contains(slug), out);
      }
    }
  }

  @Test
  void retentionForgetsTheOlderAutomaticBackupAndDropsWhatOnlyItUsed() throws Exception {
    Restic.program();
    Path dir = tmp.resolve("a");
    Path root = GenData.copyTo(Files.createDirectories(dir).resolve("root"), 4);
    Path yaml = dir.resolve("haven.yaml");
    Files.writeString(yaml, "data_root: " + root + "\nbackup_dir: " + dir.resolve("backup")
        + "\nlocations_file: " + tmp.resolve("locations.yaml") + "\nretention:\n  copies: 1\n");
    Path vault = tmp.resolve("vault");
    assertEquals(0, run(yaml, "locations", "add", "vault", "restic+" + vault.toUri(),
        "--password-file", passwordFile("pw", Restic.PASSWORD).toString()), err);
    Config config = Config.load(Optional.of(yaml), Map.of(), tmp);
    byte[] noise = new byte[2_000_000];
    new java.util.Random(9).nextBytes(noise);
    Path onlyOlder = Files.write(root.resolve("share/only-in-the-older.bin"), noise);
    String older = automatic(config, root, "2025-01-14T04:45:00Z");
    Files.delete(onlyOlder);
    String newer = automatic(config, root, "2025-01-15T04:45:00Z");
    for (String slug : List.of(older, newer)) {
      assertEquals(0, run(yaml, "backups", "copy", slug, "--to", "vault"), err);
    }

    long before = TreeSnapshot.fileBytes(vault.resolve("data"));
    assertEquals(0, run(yaml, "backups", "prune", "--location", "vault"), err);
    assertTrue(out.contains("deleted " + older) && out.contains("in vault"), out);
    assertEquals(1, out.split("deleted " + older, -1).length - 1, "only in vault: " + out);
    assertTrue(out.contains("freed ") && out.contains(" in vault of data no backup there uses"),
        out);
    long freed = before - TreeSnapshot.fileBytes(vault.resolve("data"));
    assertTrue(freed > 1_900_000 && freed < 3_000_000, "freed " + freed + " of " + before);
    assertEquals(0, run(yaml, "backups", "list", "--location", "vault"), err);
    assertFalse(out.contains(older), out);
    assertTrue(out.contains(newer), out);
    new Restic(vault, tmp).run("check", "--read-data");
  }


  private static String automatic(Config config, Path root, String date) throws Exception {
    Clock at = Clock.fixed(Instant.parse(date), ZoneOffset.UTC);
    Backups backups = new Backups(config, at, "test");
    String instance = new OffsiteBackups(config, backups, at).instanceId();
    BackupCreator creator = new BackupCreator(new DataRoot(root), backups.store(), at, "test",
        () -> AutomaticBackups.mark(JsonNodeFactory.instance.objectNode(), instance), 1);
    return creator.create(new BackupRequest("Automatic backup", List.of(Part.folder("share")),
        Optional.empty(), Compression.ZSTD, SecureTar.Version.V3, false, Optional.empty()),
        Progress.NONE).metadata().slug();
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
