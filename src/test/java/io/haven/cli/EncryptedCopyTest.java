package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haven.archive.BackupArchive;
import io.haven.archive.BackupMetadata;
import io.haven.location.LocationSpec;
import io.haven.location.LoopbackServers;
import io.haven.testing.GenData;
import io.haven.testing.TreeSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copies leave the device encrypted with the backup key, as Home Assistant's do since 2025.1:
 * an unprotected backup is encrypted on its way out (streaming, to a directory and to SFTP on
 * loopback) and Home Assistant's reader (ha_reader.py) opens the copy with the key; Haven opens
 * it without being given one. A protected backup, and any backup to a location set
 * encrypt=false, is copied byte for byte.
 */
class EncryptedCopyTest {
  private static final Pattern KEY = Pattern.compile("[A-Z0-9]{4}(-[A-Z0-9]{4}){6}");

  static LoopbackServers.Server sftp;

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    Cli.needPythonCrypto();
    sftp = LoopbackServers.sftp();
  }

  @AfterAll
  static void stop() throws Exception {
    if (sftp != null) {
      sftp.close();
    }
  }

  @Test
  void anUnprotectedBackupIsEncryptedWithTheKeyOnItsWayOutAndHomeAssistantOpensIt()
      throws Exception {
    Path source = GenData.copyTo(tmp.resolve("source"), 2);
    Cli cli = new Cli(tmp, source);
    String key = key(cli.run("key", "show").ok().out());
    Path usb = tmp.resolve("usb");
    cli.run("locations", "add", "usb", usb.toUri().toString()).ok();
    LocationSpec nas = sftp.spec("nas", "enc");
    cli.run("locations", "add", "nas", nas.url().toString(), "--key-file",
        nas.secret(LocationSpec.KEY_FILE).orElseThrow(), "--option",
        "hostKey=" + nas.option("hostKey").orElseThrow()).ok();

    String slug = cli.run("backups", "new", "--compat", "--name", "plain", "-l", "usb", "-l",
        "nas").ok().out().lines().findFirst().orElseThrow();
    Path local = cli.backupDir.resolve(slug + ".tar");
    try (BackupArchive a = BackupArchive.open(local)) {
      assertTrue(!a.metadata().orElseThrow().isProtected(), "the backup here stays as asked");
    }

    for (Path copy : new Path[] {usb.resolve(slug + ".tar"),
        sftp.storage("enc").resolve(slug + ".tar")}) {
      try (BackupArchive a = BackupArchive.open(copy)) {
        BackupMetadata m = a.metadata().orElseThrow();
        assertTrue(m.isProtected(), copy + " is protected");
        assertEquals("securetar-v2", m.haven().orElseThrow().encryption());
      }
      Path restored = tmp.resolve("restored-" + copy.getParent().getFileName());
      JsonNode result = new ObjectMapper().readTree(Cli.reader("extract", copy.toString(),
          restored.toString(), "--password", key));
      assertEquals(slug, result.get("slug").asText());
      result.get("parts").forEach(v -> assertEquals("v2", v.asText()));
      TreeSnapshot.assertSame(TreeSnapshot.of(source, CompatArchiveTest.NOT_BACKED_UP),
          TreeSnapshot.of(restored, CompatArchiveTest.NOT_BACKED_UP), "the tree, from " + copy);

      Cli.Run verify = cli.run("verify", copy.toString()).ok();
      assertTrue(verify.out().contains("intact"), "Haven finds the key: " + verify.out());
    }
    assertTrue(!Files.readString(tmp.resolve("locations.yaml")).contains(key),
        "the key is in no listing or option");
  }

  @Test
  void havensOwnFormIsEncryptedInSecureTarV3AndOpensWithTheKey() throws Exception {
    Path source = GenData.copyTo(tmp.resolve("source"), 1);
    Cli cli = new Cli(tmp, source);
    Path usb = tmp.resolve("usb");
    cli.run("locations", "add", "usb", usb.toUri().toString()).ok();
    String slug = cli.run("backups", "new", "--name", "zstd").ok().out().trim();
    cli.run("backups", "copy", slug, "--to", "usb").ok();

    Path copy = usb.resolve(slug + ".tar");
    try (BackupArchive a = BackupArchive.open(copy)) {
      assertEquals("securetar-v3", a.metadata().orElseThrow().haven().orElseThrow().encryption());
    }
    assertTrue(cli.run("verify", copy.toString()).ok().out().contains("intact"));
    Cli.Run again = cli.run("backups", "copy", slug, "--to", "usb").ok();
    assertTrue(again.err().contains("already") || again.out().contains("already"),
        "a verified encrypted copy is not sent again: " + again.out() + again.err());
  }

  @Test
  void aProtectedBackupOrAnUnencryptedLocationGetsTheBackupByteForByte() throws Exception {
    Path source = GenData.copyTo(tmp.resolve("source"), 1);
    Cli cli = new Cli(tmp, source);
    Path usb = tmp.resolve("usb");
    Path plainDisk = tmp.resolve("plain");
    cli.run("locations", "add", "usb", usb.toUri().toString()).ok();
    cli.run("locations", "add", "plain", plainDisk.toUri().toString(), "--option",
        "encrypt=false").ok();

    String locked = cli.run("backups", "new", "--use-key", "--name", "locked").ok().out().trim();
    String open = cli.run("backups", "new", "--name", "open").ok().out().trim();
    cli.run("backups", "copy", locked, "--to", "usb").ok();
    cli.run("backups", "copy", open, "--to", "plain").ok();

    assertEquals(sha256(cli.backupDir.resolve(locked + ".tar")),
        sha256(usb.resolve(locked + ".tar")));
    assertEquals(sha256(cli.backupDir.resolve(open + ".tar")),
        sha256(plainDisk.resolve(open + ".tar")));
    Cli.Run verify = cli.run("backups", "verify", locked).ok();
    assertTrue(verify.out().contains("intact"), "opened with the key: " + verify.out());

    Path into = tmp.resolve("restored");
    Files.createDirectories(into);
    cli.run("backups", "restore", locked, "--file", "share", "--to", into.toString()).ok();
    assertTrue(Files.isDirectory(into.resolve("share")), "restored with the key, no password");
  }

  private static String key(String out) {
    Matcher m = KEY.matcher(out);
    assertTrue(m.find(), out);
    return m.group();
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    try (var in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }
}
