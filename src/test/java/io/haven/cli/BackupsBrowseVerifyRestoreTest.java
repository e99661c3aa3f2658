package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haven.testing.TreeSnapshot;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** backups verify / ls / restore --file, and preflight at the top level, in-process. */
class BackupsBrowseVerifyRestoreTest {
  static final String PW = "correct horse";
  static final long BIG = 600L * 1024 * 1024;

  @TempDir Path tmp;

  Cli cli() throws Exception {
    Path root = tmp.resolve("data");
    write(root.resolve("config/configuration.yaml"), "homeassistant:\n  name: Home\n");
    write(root.resolve("config/www/a.txt"), "a");
    write(root.resolve("config/www/deep/b.txt"), "b");
    write(root.resolve("share/notes.txt"), "notes");
    return new Cli(tmp, root);
  }

  static void write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  static String slugOf(Cli.Run r) {
    return r.ok().out().trim();
  }

  @Test
  void oneFileComesOutOfABigEncryptedPartIntoItsPlaceAndNothingElseIsWritten() throws Exception {
    Cli cli = cli();
    Path big = cli.root.resolve("media/camera/recording.bin");
    Files.createDirectories(big.getParent());
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(BIG); // sparse: reads as zeros, costs no space, compresses to almost nothing
    }
    Path small = cli.root.resolve("media/notes/today.txt");
    write(small, "the one file that matters\n");
    Files.setPosixFilePermissions(small, PosixFilePermissions.fromString("rw-r-----"));
    Files.setLastModifiedTime(small, FileTime.from(Instant.parse("2024-05-01T10:00:00Z")));
    Map<String, String> before = TreeSnapshot.of(small.getParent());
    String slug = slugOf(cli.run("backups", "new", "-f", "media", "--password", PW));

    String paths = cli.run("backups", "ls", slug, "media", "--password", PW).ok().out();
    assertTrue(paths.lines().anyMatch(l -> l.equals("media/notes/today.txt")), paths);
    String longForm = cli.run("backups", "ls", slug, "media/camera", "--password", PW, "--long")
        .ok().out();
    assertTrue(longForm.contains("600.0 MiB") || longForm.contains("600 MiB")
        || longForm.contains(Long.toString(BIG)) || longForm.contains("629.1 MB"), longForm);

    Files.writeString(small, "overwritten by mistake");
    Files.setPosixFilePermissions(small, PosixFilePermissions.fromString("rwxrwxrwx"));
    Object bigInode = Files.getAttribute(big, "unix:ino");
    // Not measured by free space: other processes on the machine change it at any time.
    Cli.Run r = cli.run("backups", "restore", slug, "--file", "media/notes/today.txt",
        "--password", PW).ok();

    assertTrue(r.out().contains(small.toString()), r.out());
    TreeSnapshot.assertSame(before, TreeSnapshot.of(small.getParent()), "restored file");
    assertEquals(bigInode, Files.getAttribute(big, "unix:ino"), "the big file was not touched");
    assertEquals(BIG, Files.size(big));
    assertNoWorkingDirectories(cli.root);
  }

  @Test
  void restoringAFolderReplacesItExactlyAndToDirLeavesTheDataRootAlone() throws Exception {
    Cli cli = cli();
    Map<String, String> www = TreeSnapshot.of(cli.root.resolve("config/www"));
    String slug = slugOf(cli.run("backups", "new", "--password", PW));
    write(cli.root.resolve("config/www/added-later.txt"), "new");
    write(cli.root.resolve("config/www/a.txt"), "changed");
    Files.delete(cli.root.resolve("config/www/deep/b.txt"));
    write(cli.root.resolve("config/configuration.yaml"), "edited: true\n");
    write(cli.root.resolve("share/notes.txt"), "edited");

    Path picked = tmp.resolve("picked");
    cli.run("backups", "restore", slug, "--file", "homeassistant/data/configuration.yaml",
        "--to", picked.toString(), "--password", PW).ok();
    assertEquals("homeassistant:\n  name: Home\n",
        Files.readString(picked.resolve("configuration.yaml")));
    assertEquals("edited: true\n", Files.readString(cli.root.resolve("config/configuration.yaml")));

    cli.run("backups", "restore", slug, "--file", "homeassistant/data/www", "share/notes.txt",
        "--password", PW).ok();
    TreeSnapshot.assertSame(www, TreeSnapshot.of(cli.root.resolve("config/www")), "www");
    assertFalse(Files.exists(cli.root.resolve("config/www/added-later.txt")));
    assertEquals("notes", Files.readString(cli.root.resolve("share/notes.txt")));
    assertEquals("edited: true\n", Files.readString(cli.root.resolve("config/configuration.yaml")),
        "only the named files change");
    assertNoWorkingDirectories(cli.root);

    // A path the backup lacks changes nothing, even when named with one it has.
    write(cli.root.resolve("share/notes.txt"), "edited again");
    Cli.Run missing = cli.run("backups", "restore", slug, "--file", "share/notes.txt",
        "share/nope.txt", "--password", PW);
    assertEquals(4, missing.code(), missing.err());
    assertTrue(missing.err().contains("has no 'share/nope.txt'"), missing.err());
    assertEquals("edited again", Files.readString(cli.root.resolve("share/notes.txt")));
    assertNoWorkingDirectories(cli.root);
  }

  @Test
  void verifyAllNamesTheDamagedBackupAndExitsWithItsCode() throws Exception {
    Cli cli = cli();
    byte[] noise = new byte[64 * 1024];
    new java.util.Random(7).nextBytes(noise);
    Files.write(cli.root.resolve("share/noise.bin"), noise);
    String good = slugOf(cli.run("backups", "new", "-f", "share", "--name", "good"));
    String locked = slugOf(cli.run("backups", "new", "-f", "share", "--password", PW));
    String bad = slugOf(cli.run("backups", "new", "-f", "share", "--name", "bad"));
    flipByteInFirstMember(cli.backupDir.resolve(bad + ".tar"));

    cli.run("backups", "verify", good).ok();
    Cli.Run all = cli.run("backups", "verify", "--all");
    assertEquals(10, all.code(), all.out() + all.err());
    assertTrue(all.err().contains("backup '" + bad + "'"), all.err());
    assertFalse(all.err().contains(good), all.err());
    assertTrue(all.out().contains(locked + ": protected; checked only its outer layout"),
        all.out());
    assertTrue(all.out().contains("3 backups checked: 2 intact, 1 NOT intact."), all.out());

    Cli.Run one = cli.run("backups", "verify", bad);
    assertEquals(10, one.code());
    assertEquals(one.out(), cli.run("verify", bad).out(), "the same verb at the top level");
    assertEquals(0, cli.run("backups", "verify", locked, "--password", PW).code());
    // A protected part's digest is keyed from the password: it is named so, as in backup.json.
    String raw = cli.run("backups", "verify", locked, "--password", PW, "--raw-json").ok().out();
    assertTrue(raw.contains("\"hmac_sha256\"") && !raw.contains("\"sha256\""), raw);
    String plain = cli.run("backups", "verify", good, "--raw-json").ok().out();
    assertTrue(plain.contains("\"sha256\""), plain);

    Files.delete(cli.backupDir.resolve(bad + ".tar"));
    Cli.Run allGood = cli.run("backups", "verify", "--all", "--password", PW);
    assertEquals(0, allGood.code(), allGood.out() + allGood.err());
    assertEquals(2, cli.run("backups", "verify").code(), "a slug or --all is needed");
  }

  @Test
  void preflightAndLsAnswerAtTheTopLevelAndListKeepsItsName() throws Exception {
    Cli cli = cli();
    String slug = slugOf(cli.run("backups", "new"));
    Path file = cli.backupDir.resolve(slug + ".tar");
    Cli.Run nested = cli.run("backups", "preflight", slug, "--raw-json");
    Cli.Run top = cli.run("preflight", slug, "--raw-json");
    Cli.Run byFile = cli.run("preflight", file.toString(), "--raw-json");
    assertEquals(nested.code(), top.code(), top.err());
    assertEquals(nested.code(), byFile.code(), byFile.err());
    assertEquals(checks(nested), checks(top));
    assertEquals(checks(nested), checks(byFile));
    assertFalse(checks(top).isEmpty());

    assertTrue(cli.run("backups", "list").ok().out().contains(slug));
    Cli.Run noLs = cli.run("backups", "ls");
    assertEquals(2, noLs.code(), "ls is no longer list: " + noLs.err());
    String top1 = cli.run("ls", slug, "share").ok().out();
    assertTrue(top1.lines().anyMatch(l -> l.startsWith("- ") && l.endsWith(" share/notes.txt")),
        "the top-level ls keeps its long form: " + top1);
  }

  private static List<String> checks(Cli.Run r) throws Exception {
    JsonNode findings = new ObjectMapper().readTree(r.out()).get("data").get("findings");
    List<String> out = new ArrayList<>();
    findings.forEach(f -> out.add(f.get("check").asText() + " " + f.get("severity").asText()));
    return out;
  }

  // The first member's data starts after the outer tar's 512-byte header; the part holds 64 KiB
  // of noise, so a byte a few KiB in is inside it.
  private static void flipByteInFirstMember(Path archive) throws Exception {
    try (FileChannel ch = FileChannel.open(archive, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
      long at = 512 + 4096;
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 0x01)).rewind();
      ch.write(b, at);
    }
  }

  private static void assertNoWorkingDirectories(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      List<Path> left = s.filter(p -> p.getFileName().toString().startsWith(".haven-")).toList();
      assertEquals(List.of(), left, "working directories left behind");
    }
  }
}
