package io.haven.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.archive.Compression;
import io.haven.archive.Part;
import io.haven.archive.SecureTar;
import io.haven.failure.ExitCode;
import io.haven.testing.TreeSnapshot;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives made to attack the restore: each must end in a clear refusal, with the data root and
 * everything beside it exactly as before.
 */
class MaliciousArchiveTest {
  private static final Part SHARE = Part.folder("share");
  private static final Part HA = Part.homeAssistant();

  @TempDir Path tmp;
  Path root;
  Path backups;
  Haven haven;

  @BeforeEach
  void layOut() throws Exception {
    root = tmp.resolve("root");
    backups = tmp.resolve("backup");
    Files.createDirectories(root.resolve("config"));
    Files.writeString(root.resolve("config/configuration.yaml"), "homeassistant:\n");
    Files.createDirectories(root.resolve("share"));
    Files.writeString(root.resolve("share/keep.txt"), "kept");
    Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(tmp.resolve("outside/secret.txt"), "outside the data root");
    haven = new Haven(tmp, root, backups);
  }

  @Test
  void dotDotNameIsRefused() throws Exception {
    String slug = Archives.write(backups, "dotdot", SHARE, Compression.NONE,
        out -> Archives.file(out.tar(), "../escaped.txt", "x"));
    assertRefused(slug, ExitCode.UNSAFE, "climbs out with '..'");
  }

  @Test
  void absoluteNameIsRefused() throws Exception {
    String slug = Archives.write(backups, "absolute", SHARE, Compression.NONE,
        out -> Archives.file(out.tar(), tmp.resolve("outside/evil.txt").toString(), "x"));
    assertRefused(slug, ExitCode.UNSAFE, "absolute path");
  }

  @Test
  void symlinkOutOfTheRootIsRefused() throws Exception {
    String slug = Archives.write(backups, "link out", SHARE, Compression.NONE,
        out -> Archives.link(out.tar(), TarConstants.LF_SYMLINK, "escape", "../../outside"));
    assertRefused(slug, ExitCode.UNSAFE, "points outside the data root");
  }

  @Test
  void absoluteSymlinkIsRefused() throws Exception {
    String slug = Archives.write(backups, "link abs", SHARE, Compression.NONE,
        out -> Archives.link(out.tar(), TarConstants.LF_SYMLINK, "etc", "/etc"));
    assertRefused(slug, ExitCode.UNSAFE, "absolute path '/etc'");
  }

  @Test
  void symlinkThenFileThroughItIsRefused() throws Exception {
    String slug = Archives.write(backups, "link then write", HA, Compression.NONE, out -> {
      Archives.dir(out.tar(), "data/");
      Archives.link(out.tar(), TarConstants.LF_SYMLINK, "data/link", "../../..");
      Archives.file(out.tar(), "data/link/evil", "written through the link");
    });
    assertRefused(slug, ExitCode.UNSAFE, "points outside the data root");
  }

  @Test
  void fileThroughAnInsideSymlinkIsRefused() throws Exception {
    String slug = Archives.write(backups, "write through", HA, Compression.NONE, out -> {
      Archives.dir(out.tar(), "data/");
      Archives.link(out.tar(), TarConstants.LF_SYMLINK, "data/up", "..");
      Archives.file(out.tar(), "data/up/sub/evil", "written through the link");
    });
    assertRefused(slug, ExitCode.UNSAFE, "through the symbolic link");
  }

  // Each link looks harmless on its own when ".." is resolved by text; followed for real, the
  // chain climbs out of the staging directory and the data root.
  @Test
  void chainOfSymlinksClimbingOutIsRefused() throws Exception {
    String slug = Archives.write(backups, "chain", SHARE, Compression.NONE, out -> {
      Archives.link(out.tar(), TarConstants.LF_SYMLINK, "a", "..");
      Archives.link(out.tar(), TarConstants.LF_SYMLINK, "b", "a/..");
      Archives.link(out.tar(), TarConstants.LF_SYMLINK, "c", "b/..");
      Archives.link(out.tar(), TarConstants.LF_SYMLINK, "d", "c/..");
      Archives.file(out.tar(), "d/evil.txt", "escaped");
      Archives.link(out.tar(), TarConstants.LF_LINK, "stolen", "d/outside/secret.txt");
    });
    assertRefused(slug, ExitCode.UNSAFE, "'a/..'");
  }

  @Test
  void hardLinkToOutsideIsRefused() throws Exception {
    String slug = Archives.write(backups, "hard out", SHARE, Compression.NONE,
        out -> Archives.link(out.tar(), TarConstants.LF_LINK, "stolen", "../outside/secret.txt"));
    assertRefused(slug, ExitCode.UNSAFE, "not an earlier file of this part");
  }

  @Test
  void hardLinkThroughASymlinkIsRefused() throws Exception {
    String slug = Archives.write(backups, "hard via link", HA, Compression.NONE, out -> {
      Archives.dir(out.tar(), "data/");
      Archives.link(out.tar(), TarConstants.LF_SYMLINK, "data/up", "..");
      Archives.link(out.tar(), TarConstants.LF_LINK, "data/stolen", "data/up/data/x");
    });
    assertRefused(slug, ExitCode.UNSAFE, "through the symbolic link");
  }

  @Test
  void deviceNodeIsRefused() throws Exception {
    String slug = Archives.write(backups, "device", SHARE, Compression.NONE,
        out -> Archives.special(out.tar(), TarConstants.LF_CHR, "null"));
    assertRefused(slug, ExitCode.UNSAFE, "device node or FIFO");
  }

  @Test
  void fifoIsRefused() throws Exception {
    String slug = Archives.write(backups, "fifo", SHARE, Compression.NONE,
        out -> Archives.special(out.tar(), TarConstants.LF_FIFO, "pipe"));
    assertRefused(slug, ExitCode.UNSAFE, "device node or FIFO");
  }

  @Test
  void setuidAndSetgidBitsAreCleared() throws Exception {
    String slug = Archives.write(backups, "setuid", SHARE, Compression.NONE, out -> {
      Archives.file(out.tar(), "suid", "#!/bin/sh\n", 0104755);
      Archives.file(out.tar(), "sgid", "#!/bin/sh\n", 0102755);
    });
    Haven.Run r = restore(slug);
    assertEquals(0, r.exit(), r::toString);
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(root.resolve("share/suid"))));
    assertEquals(0755, mode(root.resolve("share/suid")));
    assertEquals(0755, mode(root.resolve("share/sgid")));
  }

  @Test
  void terabyteDeclaredSizeIsRefusedWithoutAllocating() throws Exception {
    String slug = Archives.write(backups, "huge", SHARE, Compression.NONE,
        out -> Archives.lyingHeader(out, "big.bin", 1L << 40, 4096));
    assertRefused(slug, ExitCode.NO_SPACE, "big.bin");
  }

  @Test
  void tenThousandDeepPathIsRefused() throws Exception {
    String slug = Archives.write(backups, "deep", SHARE, Compression.NONE,
        out -> Archives.file(out.tar(), "d/".repeat(10_000) + "f", "deep"));
    assertRefused(slug, ExitCode.UNSAFE, "too long");
  }

  @Test
  void fileOrLinkWhereTheArchiveMadeADirectoryIsRefusedAsDamaged() throws Exception {
    String file = Archives.write(backups, "dir-then-file", SHARE, Compression.NONE, out -> {
      Archives.dir(out.tar(), "sub/");
      Archives.file(out.tar(), "sub", "a file where a directory is");
    });
    assertRefused(file, ExitCode.CORRUPT, "already has a directory of that name");
    String link = Archives.write(backups, "dir-then-link", SHARE, Compression.NONE, out -> {
      Archives.dir(out.tar(), "sub/");
      Archives.link(out.tar(), TarConstants.LF_SYMLINK, "sub", "keep.txt");
    });
    assertRefused(link, ExitCode.CORRUPT, "already has a directory of that name");
  }

  // Issue 24: a file 'x', then a directory 'x/' ended in an unexpected failure.
  @Test
  void directoryWhereTheArchiveMadeAFileIsRefusedAsDamaged() throws Exception {
    String dir = Archives.write(backups, "file-then-dir", SHARE, Compression.NONE, out -> {
      Archives.file(out.tar(), "x", "a file where a directory will be");
      Archives.dir(out.tar(), "x/");
    });
    assertRefused(dir, ExitCode.CORRUPT, "needs the directory 'x', but the part already has a"
        + " file of that name");
    String below = Archives.write(backups, "file-then-below", SHARE, Compression.NONE, out -> {
      Archives.file(out.tar(), "x", "a file where a directory will be");
      Archives.file(out.tar(), "x/y", "below the file");
    });
    assertRefused(below, ExitCode.CORRUPT, "needs the directory 'x'");
  }

  // Files are written on two threads: a name held many times must still end as its last copy,
  // and a directory's time must be set after the files the part puts in it.
  @Test
  void nameHeldManyTimesEndsAsItsLastCopyAndDirectoryTimesHold() throws Exception {
    FileTime dirTime = FileTime.fromMillis(1_500_000_000_000L);
    String slug = Archives.write(backups, "order", SHARE, Compression.NONE, out -> {
      TarArchiveEntry dir = new TarArchiveEntry("old/", TarConstants.LF_DIR, true);
      dir.setMode(040755);
      dir.setLastModifiedTime(dirTime);
      out.tar().putArchiveEntry(dir);
      out.tar().closeArchiveEntry();
      for (int i = 0; i < 200; i++) {
        Archives.file(out.tar(), "old/f" + i, "x".repeat(i * 997));
        Archives.file(out.tar(), "old/dup.txt", "copy " + i);
      }
    });
    Haven.Run r = restore(slug);
    assertEquals(0, r.exit(), r::toString);
    assertEquals("copy 199", Files.readString(root.resolve("share/old/dup.txt")));
    assertEquals("x".repeat(199 * 997), Files.readString(root.resolve("share/old/f199")));
    assertEquals(dirTime, Files.getLastModifiedTime(root.resolve("share/old")));
  }

  @Test
  void nameWithNewlineIsRestoredAsItIs() throws Exception {
    String slug = Archives.write(backups, "newline", SHARE, Compression.NONE,
        out -> Archives.file(out.tar(), "two\nlines.txt", "ok"));
    Haven.Run r = restore(slug);
    assertEquals(0, r.exit(), r::toString);
    assertEquals("ok", Files.readString(root.resolve("share/two\nlines.txt")));
  }

  @Test
  void backupJsonWithWrongTypesIsRefusedCleanly() throws Exception {
    Path file = backups.resolve("types.tar");
    rawBackup(file, ("{\"slug\":\"abcd1234\",\"name\":5,\"date\":[1],\"type\":\"full\","
        + "\"folders\":\"share\",\"compressed\":\"yes\",\"protected\":{},\"homeassistant\":7,"
        + "\"addons\":[1,[2]]}").getBytes(StandardCharsets.UTF_8));
    assertCleanRefusalOfFile(file, "backup.json is invalid");
  }

  @Test
  void hugeBackupJsonIsRefusedWithoutReadingIt() throws Exception {
    Path file = backups.resolve("huge-json.tar");
    byte[] json = new byte[6 * 1024 * 1024];
    java.util.Arrays.fill(json, (byte) ' ');
    byte[] head = "{\"slug\":\"abcd1234\",\"name\":\"".getBytes(StandardCharsets.UTF_8);
    System.arraycopy(head, 0, json, 0, head.length);
    rawBackup(file, json);
    assertCleanRefusalOfFile(file, "backup.json is larger or deeper than any backup's");
  }

  @Test
  void thousandsOfMissingPartsAreRefused() throws Exception {
    StringBuilder addons = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      addons.append(i == 0 ? "" : ",").append("{\"slug\":\"addon_").append(i)
          .append("\",\"name\":\"a\",\"version\":\"1\"}");
    }
    Path file = backups.resolve("many.tar");
    rawBackup(file, ("{\"slug\":\"abcd1234\",\"name\":\"many\",\"date\":\"2026-01-02T03:04:05+00:00\","
        + "\"type\":\"partial\",\"folders\":[\"share\"],\"addons\":[" + addons + "]}")
        .getBytes(StandardCharsets.UTF_8));
    Haven.Run r = haven.run("verify", file.toString());
    assertFalse(r.crashed(), r::toString);
    assertEquals(ExitCode.CORRUPT, r.exit(), r::toString);
    assertTrue(r.err().contains("missing from the archive"), r::toString);
    assertRefused("abcd1234", ExitCode.CORRUPT, "missing from the archive");
  }

  @Test
  void v3HeaderWithAbsurdPlaintextSizeIsRefused() throws Exception {
    Haven.Run made = haven.run("backups", "new", "-f", "share", "--password", "pw",
        "--name", "v3");
    assertEquals(0, made.exit(), made::toString);
    String slug = made.out().trim();
    Path file = backups.resolve(slug + ".tar");
    long at = -1;
    try (TarFile t = new TarFile(file.toFile())) {
      for (TarArchiveEntry e : t.getEntries()) {
        if (e.getName().contains("share.tar")) {
          at = e.getDataOffset() + SecureTar.PLAINTEXT_SIZE_OFFSET;
        }
      }
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      f.write(ByteBuffer.allocate(8).putLong(Long.MAX_VALUE / 2).array());
    }
    Files.writeString(root.resolve("share/keep.txt"), "changed after the backup");
    Haven.Run v = haven.run("verify", file.toString(), "--password", "pw");
    assertFalse(v.crashed(), v::toString);
    assertEquals(ExitCode.CORRUPT, v.exit(), v::toString);
    assertRefused(slug, ExitCode.CORRUPT, "part 'share'", "--password", "pw");
  }

  // ---

  private Haven.Run restore(String slug, String... more) {
    String[] args = new String[3 + more.length];
    args[0] = "backups";
    args[1] = "restore";
    args[2] = slug;
    System.arraycopy(more, 0, args, 3, more.length);
    return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> haven.run(args));
  }

  private void assertRefused(String slug, int exit, String fragment, String... more)
      throws Exception {
    Map<String, String> before = surroundings();
    Haven.Run r = restore(slug, more);
    assertFalse(r.crashed(), r::toString);
    assertEquals(exit, r.exit(), r::toString);
    assertTrue(r.err().contains(fragment), () -> "expected '" + fragment + "' in " + r);
    TreeSnapshot.assertSame(before, surroundings(), "the data root and beside it");
    try (var s = Files.list(root)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".haven-")));
    }
  }

  private void assertCleanRefusalOfFile(Path file, String fragment) throws Exception {
    Haven.Run list = haven.run("backups", "list");
    assertEquals(0, list.exit(), list::toString);
    assertTrue(list.err().contains("not a readable backup: " + file.getFileName()), list::toString);
    Haven.Run v = assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> haven.run("verify", file.toString()));
    assertFalse(v.crashed(), v::toString);
    assertEquals(ExitCode.CORRUPT, v.exit(), v::toString);
    assertTrue(v.err().contains(fragment), v::toString);
    assertRefused("abcd1234", ExitCode.NOT_FOUND, "No backup 'abcd1234'");
  }

  // Everything in tmp except the backups: the root, the outside files, and whatever appears.
  private Map<String, String> surroundings() throws Exception {
    return TreeSnapshot.of(tmp, rel -> rel.startsWith("backup") || rel.endsWith(".yaml")
        || rel.equals("root"));
  }

  private static int mode(Path p) throws Exception {
    return (Integer) Files.getAttribute(p, "unix:mode") & 07777;
  }

  /** An outer tar written by hand: an empty share part and the given backup.json. */
  private static void rawBackup(Path file, byte[] json) throws Exception {
    Files.createDirectories(file.getParent());
    java.io.ByteArrayOutputStream part = new java.io.ByteArrayOutputStream();
    try (TarArchiveOutputStream inner = new TarArchiveOutputStream(part)) {
      Archives.file(inner, "keep.txt", "from the archive");
    }
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(file))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      put(tar, "./share.tar", part.toByteArray());
      put(tar, "./backup.json", json);
    }
  }

  private static void put(TarArchiveOutputStream tar, String name, byte[] b) throws Exception {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(b.length);
    tar.putArchiveEntry(e);
    tar.write(b);
    tar.closeArchiveEntry();
  }
}
