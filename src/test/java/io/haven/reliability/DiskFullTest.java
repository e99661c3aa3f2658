package io.haven.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.agent.Backups;
import io.haven.archive.Compression;
import io.haven.archive.SecureTar;
import io.haven.backup.BackupRequest;
import io.haven.config.Config;
import io.haven.failure.ExitCode;
import io.haven.failure.NotEnoughSpace;
import io.haven.restore.RestoreRequest;
import io.haven.testing.TreeSnapshot;
import io.haven.tree.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup directory, then a data root, on a 20 MB tmpfs: a clear "not enough space" before
 * starting when the sizes tell, and a clean failure with nothing left behind when the disk fills
 * up half way (forced by filling it as soon as the first bytes are written).
 */
class DiskFullTest {
  @TempDir Path tmp;
  private final List<Path> mounts = new ArrayList<>();

  @AfterEach
  void unmount() throws Exception {
    for (Path m : mounts) {
      new ProcessBuilder("umount", m.toString()).inheritIO().start().waitFor();
    }
  }

  @Test
  void backupTooBigForTheBackupDirIsRefusedBeforeStarting() throws Exception {
    Path root = root(30);
    Path small = tmpfs("backup");
    Map<String, String> source = TreeSnapshot.of(root);
    Haven.Run r = new Haven(tmp, root, small).run("backups", "new");
    assertEquals(ExitCode.NO_SPACE, r.exit(), r::toString);
    assertTrue(r.err().matches("(?s)error: Not enough space on " + small
        + ": the backup needs 3\\d\\.\\d MB, 2\\d\\.\\d MB free\\..*"), r::toString);
    assertEquals(List.of(".haven.lock"), names(small));
    TreeSnapshot.assertSame(source, TreeSnapshot.of(root), "source");
  }

  @Test
  void backupDirFillingUpHalfWayFailsCleanly() throws Exception {
    Path root = root(8);
    Path small = tmpfs("backup");
    Map<String, String> source = TreeSnapshot.of(root);
    Backups backups = backups(root, small);
    IOException e = assertThrows(IOException.class, () -> backups.create(request(),
        fillOnFirstWrite(small.resolve("filler"))));
    assertTrue(e instanceof NotEnoughSpace, () -> "not a clear failure: " + e);
    assertTrue(e.getMessage().contains("filled up while writing"), e::getMessage);
    assertEquals(List.of(".haven.lock", "filler"), names(small), "nothing but the filler");
    TreeSnapshot.assertSame(source, TreeSnapshot.of(root), "source");
  }

  // Before: a full disk during an upload was an unexpected failure (HTTP 500, "please report").
  @Test
  void uploadFillingTheBackupDirIsNotEnoughSpaceAndKeepsNothing() throws Exception {
    Path source = root(8);
    Path made = tmp.resolve("made");
    String slug = backups(source, made).create(request(), Progress.NONE).metadata().slug();
    Path small = tmpfs("backup");
    IOException e;
    try (InputStream body = Files.newInputStream(made.resolve(slug + ".tar"));
        Backups.Session session = backups(source, small).open("upload")) {
      e = assertThrows(IOException.class, () -> session.importUpload(body, Optional.empty(),
          fillOnFirstWrite(small.resolve("filler"))));
    }
    assertTrue(e instanceof NotEnoughSpace, () -> "not a clear failure: " + e);
    assertEquals(ExitCode.NO_SPACE, ((NotEnoughSpace) e).exitCode());
    assertEquals(507, ((NotEnoughSpace) e).httpStatus());
    assertTrue(e.getMessage().contains("filled up while receiving the uploaded backup"),
        e::getMessage);
    assertEquals(List.of("filler"), names(small).stream().filter(n -> !n.startsWith(".haven"))
        .toList(), "nothing but the filler");
    assertTrue(names(small).stream().noneMatch(n -> n.startsWith(".haven-tmp-")));
  }

  @Test
  void restoreTooBigForTheDataRootIsRefusedBeforeStarting() throws Exception {
    Path source = root(12);
    Path backupDir = tmp.resolve("backup");
    String slug = backups(source, backupDir).create(request(), Progress.NONE).metadata().slug();
    Path small = tmpfs("root");
    fill(small.resolve("share/existing.bin"), 10);
    Map<String, String> before = TreeSnapshot.of(small);
    Haven.Run r = new Haven(tmp, small, backupDir).run("backups", "restore", slug);
    assertEquals(ExitCode.NO_SPACE, r.exit(), r::toString);
    assertTrue(r.err().contains("Not enough space on " + small + ": the restore needs"),
        r::toString);
    TreeSnapshot.assertSame(before, TreeSnapshot.of(small), "data root");
  }

  @Test
  void dataRootFillingUpDuringRestoreRollsBack() throws Exception {
    Path source = root(6);
    Path backupDir = tmp.resolve("backup");
    String slug = backups(source, backupDir).create(request(), Progress.NONE).metadata().slug();
    Path small = tmpfs("root");
    fill(small.resolve("share/existing.bin"), 2);
    Map<String, String> before = TreeSnapshot.of(small);
    Path fillerOnFs = small.resolve(".haven-test-filler");
    IOException e = assertThrows(IOException.class, () -> backups(small, backupDir).restore(slug,
        new RestoreRequest(List.of(), Optional.empty()), fillOnFirstWrite(fillerOnFs)));
    assertTrue(e instanceof NotEnoughSpace, () -> "not a clear failure: " + e);
    assertTrue(e.getMessage().contains("rolled back"), e::getMessage);
    Files.delete(fillerOnFs);
    TreeSnapshot.assertSame(before, TreeSnapshot.of(small), "data root after ENOSPC");
    assertFalse(names(small).stream().anyMatch(n -> n.startsWith(".haven-restore-")));
  }

  // 512 MiB of zeros stored in about 16 kB of zstd: verify streams it all in a 64 MB heap; a
  // restore into a 20 MB root refuses it from the declared size, before writing it.
  @Test
  void decompressionBombIsStreamedAndRefusedBeyondFreeSpace() throws Exception {
    Path backupDir = tmp.resolve("backup");
    String slug = Archives.write(backupDir, "bomb", io.haven.archive.Part.folder("share"),
        Compression.ZSTD, out -> Archives.zeros(out.tar(), "zeros.bin", 512L << 20));
    assertTrue(Files.size(backupDir.resolve(slug + ".tar")) < 1 << 20);
    Path small = tmpfs("root");
    fill(small.resolve("share/existing.bin"), 1);
    Map<String, String> before = TreeSnapshot.of(small);
    Haven haven = new Haven(tmp, small, backupDir);
    assertEquals(0, runForked(haven, "verify", slug), "verify in 64 MB of heap");
    assertEquals(ExitCode.NO_SPACE, runForked(haven, "backups", "restore", slug));
    TreeSnapshot.assertSame(before, TreeSnapshot.of(small), "data root");
  }

  private static int runForked(Haven haven, String... args) throws Exception {
    Process p = haven.fork("-Xmx64m", Map.of(), args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES));
    assertFalse(out.contains("\tat ") || out.contains("OutOfMemoryError"), out);
    return p.exitValue();
  }

  // ---

  private Path tmpfs(String name) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs",
        dir.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      boolean strict = "1".equals(System.getenv("HAVEN_TEST_DISALLOW_SKIP"));
      if (strict) {
        throw new AssertionError("cannot mount a tmpfs (needs root): " + out);
      }
      Assumptions.assumeTrue(false, "cannot mount a tmpfs (needs root): " + out.trim());
    }
    mounts.add(0, dir);
    return dir;
  }

  /** A data root whose share holds {@code mb} MB of incompressible bytes. */
  private Path root(int mb) throws IOException {
    Path root = tmp.resolve("root-" + mb);
    Files.createDirectories(root.resolve("config"));
    Files.writeString(root.resolve("config/configuration.yaml"), "homeassistant:\n");
    fill(root.resolve("share/big.bin"), mb);
    return root;
  }

  private static void fill(Path file, int mb) throws IOException {
    Files.createDirectories(file.getParent());
    Random r = new Random(mb);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < mb; i++) {
        r.nextBytes(buf);
        out.write(buf);
      }
    }
  }

  // Fills the file system with one file as soon as the job writes its first bytes: the space
  // check has passed, the disk is full from then on.
  private static Progress fillOnFirstWrite(Path filler) {
    return new Progress() {
      boolean filled;

      @Override
      public void advance(long bytes) {
        if (filled) {
          return;
        }
        filled = true;
        try (OutputStream out = Files.newOutputStream(filler)) {
          byte[] buf = new byte[64 * 1024];
          while (true) {
            out.write(buf);
          }
        } catch (IOException e) {
          if (!String.valueOf(e.getMessage()).contains("No space left")) {
            throw new UncheckedIOException(e);
          }
        }
      }
    };
  }

  private Backups backups(Path root, Path backupDir) throws Exception {
    return new Backups(new Config(root, backupDir, Compression.ZSTD, 1), Clock.systemUTC(),
        "test");
  }

  private static BackupRequest request() {
    return new BackupRequest("disk full", List.of(), Optional.empty(), Compression.NONE,
        SecureTar.Version.V3, false, Optional.empty());
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
