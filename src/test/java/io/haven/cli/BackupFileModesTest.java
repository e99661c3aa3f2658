package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haven.testing.GenData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup holds the device's secrets: its file is its owner's only, in a directory only its
 * owner lists, whatever the umask (tests run under the usual 022, which made them 0644 and 0755).
 */
class BackupFileModesTest {
  @TempDir Path dir;

  @Test
  void aNewBackupIsReadableByItsOwnerOnlyInADirectoryOnlyItsOwnerLists() throws Exception {
    Cli cli = new Cli(dir, GenData.copyTo(dir.resolve("root"), 1));
    String slug = cli.run("backups", "new", "--name", "modes").ok().out().trim();

    assertEquals("rwx------", mode(cli.backupDir));
    assertEquals("rw-------", mode(cli.backupDir.resolve(slug + ".tar")));

    Path copy = dir.resolve("copy.tar");
    Files.copy(cli.backupDir.resolve(slug + ".tar"), copy);
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
    cli.run("backups", "remove", slug, "--yes").ok();
    cli.run("backups", "import", copy.toString()).ok();
    assertEquals("rw-------", mode(cli.backupDir.resolve(slug + ".tar")), "an imported one too");
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
