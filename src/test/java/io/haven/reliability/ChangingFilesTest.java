package io.haven.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.failure.ExitCode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer thread appends to, truncates, deletes and recreates files while {@code haven backups
 * new} reads them: the backup completes, says what changed, exits with 3, and verifies.
 */
class ChangingFilesTest {
  @TempDir Path tmp;

  @Test
  void filesChangingDuringBackupGiveWarningsAndAnArchiveThatVerifies() throws Exception {
    Path root = tmp.resolve("root");
    Path share = Files.createDirectories(root.resolve("share"));
    Files.createDirectories(root.resolve("config"));
    byte[] chunk = new byte[1 << 20];
    new Random(3).nextBytes(chunk);
    for (int f = 0; f < 6; f++) {
      try (OutputStream out = Files.newOutputStream(share.resolve("f" + f + ".bin"))) {
        for (int i = 0; i < 8; i++) {
          out.write(chunk);
        }
      }
    }
    Haven haven = new Haven(tmp, root, tmp.resolve("backup"));
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong changes = new AtomicLong();
    Thread writer = new Thread(() -> churn(share, chunk, stop, changes), "churn");
    writer.start();
    Haven.Run r;
    try {
      r = haven.run("backups", "new", "--name", "while writing", "--compression", "none");
    } finally {
      stop.set(true);
      writer.join();
    }
    assertEquals(ExitCode.WARNINGS, r.exit(), r::toString);
    assertTrue(r.err().contains("warning: "), r::toString);
    assertTrue(changes.get() > 0);
    String slug = r.out().trim();
    Haven.Run v = haven.run("verify", slug);
    assertEquals(0, v.exit(), v::toString);
    CrashTest.report("changing files", changes.get() + " changes during the backup: exit "
        + r.exit() + ", " + r.err().lines().filter(l -> l.startsWith("warning:")).count()
        + " warnings, archive verifies");
  }

  // Every kind of change, round robin, until told to stop: append, truncate, delete and
  // recreate, touch.
  private static void churn(Path dir, byte[] chunk, AtomicBoolean stop, AtomicLong changes) {
    int i = 0;
    while (!stop.get()) {
      Path f = dir.resolve("f" + (i % 6) + ".bin");
      try {
        switch (i % 4) {
          case 0:
            Files.write(f, chunk, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            break;
          case 1:
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
              ch.truncate(ch.size() / 2);
            }
            break;
          case 2:
            Files.deleteIfExists(f);
            Files.write(f, chunk);
            break;
          default:
            Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + i));
        }
        changes.incrementAndGet();
      } catch (IOException e) {
        // a file the other side of the race removed: the next round changes another
      }
      i++;
    }
  }
}
