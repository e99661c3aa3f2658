package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.agent.Backups;
import io.haven.archive.Compression;
import io.haven.archive.Secret;
import io.haven.config.Config;
import io.haven.restore.RestoreRequest;
import io.haven.testing.HaFixtures;
import io.haven.tree.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Haven reads what Home Assistant writes: every real fixture with a backup.json imports and
 *  restores into an empty data root; archives that are not backups are refused, nothing kept. */
class ImportFixturesTest {
  @TempDir Path tmp;

  static Path fixture(String name) {
    return HaFixtures.path(name);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "backup_example.tar, '', 7fed74c8, addons/data/a0d7b954_example",
    "backup_example_enc.tar, test, 93b462f8, ssl",
    "backup_example_sec_v3.tar, supervisor, f92f0339, addons/data/a0d7b954_example",
    "test_consolidate.tar, test, d9c48f8b, ssl",
    "test_consolidate_unc.tar, '', d9c48f8b, ssl"})
  void fixtureImportsAndRestoresIntoAnEmptyRoot(String name, String password, String slug,
      String restoredDir) throws Exception {
    Path root = tmp.resolve("root");
    Cli cli = new Cli(tmp, root);
    String[] pw = password.isEmpty() ? new String[0] : new String[] {"--password", password};
    String[] args = Stream.concat(Stream.of("backups", "import", fixture(name).toString()),
        Stream.of(pw)).toArray(String[]::new);
    assertEquals(slug, cli.run(args).ok().out().trim());
    assertTrue(Files.isRegularFile(cli.backupDir.resolve(slug + ".tar")));
    // A second import of the same backup is refused, not a second copy.
    Cli.Run again = cli.run(args);
    assertEquals(2, again.code());
    assertTrue(again.err().contains("is already in"), again.err());

    Backups backups = new Backups(new Config(root, cli.backupDir, Compression.ZSTD, 1),
        Clock.systemUTC(), "test");
    Optional<Secret> secret = password.isEmpty() ? Optional.empty()
        : Optional.of(new Secret.Password(password));
    backups.restore(slug, new RestoreRequest(List.of(), secret), Progress.NONE);
    assertTrue(Files.isDirectory(root.resolve(restoredDir)), restoredDir + " restored");
    // Every file the backup lists under its data is there after the restore.
    String listing = cli.run(Stream.concat(Stream.of("ls", slug), Stream.of(pw))
        .toArray(String[]::new)).ok().out();
    for (String line : listing.split("\n")) {
      String path = line.substring(line.lastIndexOf(' ') + 1);
      if (line.startsWith("-") && path.contains("/data/")) {
        String rel = path.substring(path.indexOf("/data/") + 6);
        assertTrue(Files.isRegularFile(root.resolve(restoredDir).resolve(rel)), path);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"backup_empty.tar", "backup_truncated.tar", "backup_no_final_tag.tar",
      "backup_early_final_tag.tar", "backup_encrypted_gzipped_legacy_format.tar"})
  void archiveWithoutBackupJsonIsRefusedAndNothingKept(String name) throws Exception {
    Cli cli = new Cli(tmp, tmp.resolve("root"));
    Cli.Run r = cli.run("backups", "import", fixture(name).toString(), "--password", "hunter2");
    assertEquals(10, r.code(), r.err());
    assertEquals("error: '" + name + "' is not a Home Assistant backup: it has no backup.json"
        + " (or snapshot.json). Nothing was imported.", r.err().trim());
    assertBackupDirEmpty(cli);
  }

  @Test
  void notATarIsRefusedAndNothingKept() throws Exception {
    Cli cli = new Cli(tmp, tmp.resolve("root"));
    Cli.Run r = cli.run("backups", "import", fixture("backup_local_ssh_running.tar.gz").toString());
    assertEquals(10, r.code(), r.err());
    assertTrue(r.err().startsWith("error: Cannot import 'backup_local_ssh_running.tar.gz': "),
        r.err());
    assertTrue(r.err().trim().endsWith("Nothing was imported."), r.err());
    assertBackupDirEmpty(cli);
  }

  @Test
  void wrongPasswordOnImportIsReportedAndNothingKept() throws Exception {
    Cli cli = new Cli(tmp, tmp.resolve("root"));
    Cli.Run r = cli.run("backups", "import", fixture("backup_example_sec_v3.tar").toString(),
        "--password", "not-it");
    assertEquals(11, r.code(), r.err());
    assertTrue(r.err().startsWith("error: Wrong password for backup 'f92f0339'"), r.err());
    assertBackupDirEmpty(cli);
  }

  static void assertBackupDirEmpty(Cli cli) throws Exception {
    if (!Files.isDirectory(cli.backupDir)) {
      return;
    }
    try (Stream<Path> s = Files.list(cli.backupDir)) {
      List<String> left = s.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith(".haven-lock") && !n.endsWith(".lock")).toList();
      assertEquals(List.of(), left, "nothing kept in the backup directory");
    }
  }
}
