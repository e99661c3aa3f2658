package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.agent.Daemon;
import io.haven.agent.FrontEnd;
import io.haven.config.Config;
import io.haven.device.SystemdNotify;
import io.haven.testing.GenData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code haven key show|new|kit|add} on real key files. */
class KeyCommandTest {
  private static final Pattern KEY = Pattern.compile("[A-Z0-9]{4}(-[A-Z0-9]{4}){6}");

  @TempDir Path tmp;

  @Test
  void showMakesTheKeyOnFirstUseOwnerOnlyBesideTheLocationsFile() throws Exception {
    Cli cli = new Cli(tmp, Files.createDirectories(tmp.resolve("root")));
    Cli.Run run = cli.run("key", "show").ok();

    String key = key(run.out());
    Path file = tmp.resolve("backup-key");
    assertTrue(run.out().contains("Kept in " + file + "."), run.out());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(key, key(cli.run("key").ok().out()), "a second look shows the same key");
    assertTrue(Files.readString(file).contains("current " + key));
  }

  @Test
  void newKeepsTheOldKeyAndSaysSo() throws Exception {
    Cli cli = new Cli(tmp, Files.createDirectories(tmp.resolve("root")));
    String first = key(cli.run("key", "show").ok().out());
    Cli.Run run = cli.run("key", "new").ok();

    String second = key(run.out());
    assertNotEquals(first, second);
    assertTrue(run.out().contains("The older key is kept in " + tmp.resolve("backup-key")
        + ", so backups made with the old ones still restore."), run.out());
    String file = Files.readString(tmp.resolve("backup-key"));
    assertTrue(file.contains("current " + second) && file.contains("old     " + first), file);
    assertTrue(cli.run("key", "show").ok().out().contains("with one older key for older"
        + " backups"));
  }

  @Test
  void kitHoldsKeyDateDeviceAndHowToRestoreOwnerOnlyAndNeverOverwrites() throws Exception {
    Cli cli = new Cli(tmp, Files.createDirectories(tmp.resolve("root")));
    String key = key(cli.run("key", "show").ok().out());
    Path kit = tmp.resolve("kit.txt");
    Cli.Run run = cli.run("key", "kit", kit.toString()).ok();

    assertTrue(run.out().startsWith("Wrote the emergency kit to " + kit), run.out());
    String text = Files.readString(kit);
    assertTrue(text.contains("Backup encryption key:\n" + key + "\n"), text);
    assertTrue(text.contains("Date: ") && text.contains("Device: ")
        && text.contains("How to restore"), text);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kit)));
    assertEquals(List.of(kit, tmp.resolve("backup-key")).stream().sorted().toList(),
        Files.list(tmp).filter(p -> !Files.isDirectory(p) && !p.toString().endsWith(".yaml"))
            .sorted().toList(), "no temporary file is left");

    Cli.Run again = cli.run("key", "kit", kit.toString());
    assertNotEquals(0, again.code());
    assertEquals(text, Files.readString(kit), "an existing kit is left as it was");
  }

  @Test
  void addKeepsHomeAssistantsKeyAndRefusesWhatIsNoKey() throws Exception {
    Cli cli = new Cli(tmp, Files.createDirectories(tmp.resolve("root")));
    String own = key(cli.run("key", "show").ok().out());
    String ha = "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ12";
    assertTrue(cli.run("key", "add", ha).ok().out().startsWith("Kept the key in "));
    assertEquals(own, key(cli.run("key", "show").ok().out()), "the current key stays");
    assertTrue(Files.readString(tmp.resolve("backup-key")).contains("old     " + ha));
    assertTrue(cli.run("key", "add", ha).ok().out().startsWith("That key is kept already"));

    Cli.Run bad = cli.run("key", "add", "not-a-key");
    assertEquals(2, bad.code(), bad.err());
    assertTrue(bad.err().contains("That is not a backup key"), bad.err());
  }

  @Test
  void aBackupMadeWithHomeAssistantsKeyOpensHereOnceThatKeyIsAdded() throws Exception {
    String ha = "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ12";
    Path keyFile = Files.writeString(tmp.resolve("ha-key.txt"), ha + "\n");
    Cli other = new Cli(Files.createDirectories(tmp.resolve("other")),
        GenData.copyTo(tmp.resolve("other/root"), 1));
    // As Home Assistant protects its backups with its key: SecureTar v2, gzip parts.
    String slug = other.run("backups", "new", "--compat", "--password-file", keyFile.toString())
        .ok().out().trim();
    Path made = other.backupDir.resolve(slug + ".tar");

    Cli cli = new Cli(Files.createDirectories(tmp.resolve("here")),
        Files.createDirectories(tmp.resolve("here/root")));
    Cli.Run locked = cli.run("backups", "verify", made.toString());
    assertNotEquals(0, locked.code(), "this device's own key does not open it: " + locked.out());
    assertTrue(locked.err().contains("password"), locked.err());
    cli.run("key", "add", ha).ok();
    Cli.Run opened = cli.run("backups", "verify", made.toString()).ok();
    assertTrue(opened.out().contains("intact"), opened.out());
  }

  @Test
  void theAgentsFirstStartMakesTheKey() throws Exception {
    Config config = new Config(tmp.resolve("root"), tmp.resolve("backup"),
        io.haven.archive.Compression.ZSTD, 1);
    Files.createDirectories(config.dataRoot());
    Path file = config.locationsFile().resolveSibling("backup-key");
    assertTrue(!Files.exists(file));
    try (Daemon daemon = Daemon.start(config, "test", SystemdNotify.fromEnvironment(),
        service -> new FrontEnd() {
          @Override
          public Optional<java.net.URI> panel() {
            return Optional.empty();
          }

          @Override
          public void close() {}
        })) {
      assertTrue(KEY.matcher(Files.readString(file)).find(), "a key is made at start");
      assertEquals("rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
  }

  private static String key(String out) {
    Matcher m = KEY.matcher(out);
    assertTrue(m.find(), out);
    return m.group();
  }
}
