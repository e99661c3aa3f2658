package io.haven.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.failure.ExitCode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
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
    // The writer races the reader: a run may read every file between two changes and rightly
    // warn of nothing. Each run must end whole and verify; within a few, one must see the changes.
    Haven.Run r = null;
    long changed = 0;
    for (int attempt = 0; attempt < 5 && (r == null || r.exit() == 0); attempt++) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong changes = new AtomicLong();
      Thread writer = new Thread(() -> churn(share, chunk, stop, changes), "churn");
      writer.start();
      try {
        r = haven.run("backups", "new", "--name", "while writing", "--compression", "none");
      } finally {
        stop.set(true);
        writer.join();
      }
      changed = changes.get();
      assertTrue(r.exit() == 0 || r.exit() == ExitCode.WARNINGS, r::toString);
      Haven.Run v = haven.run("verify", r.out().trim());
      assertEquals(0, v.exit(), v::toString);
    }
    assertEquals(ExitCode.WARNINGS, r.exit(), r::toString);
    assertTrue(r.err().contains("warning: "), r::toString);
    assertTrue(changed > 0);
    CrashTest.report("changing files", changed + " changes during the backup: exit "
        + r.exit() + ", " + r.err().lines().filter(l -> l.startsWith("warning:")).count()
        + " warnings, archive verifies");
  }

  // Before: the backup went on with every file that was left "vanished" and ended as done with
  // warnings, an archive of almost nothing that looked like a backup (or, when a folder went
  // first, an unexpected failure).
  @Test
  void aDataRootRemovedDuringTheBackupFailsItAndKeepsNothing() throws Exception {
    Path root = tmp.resolve("root");
    Path share = Files.createDirectories(root.resolve("share"));
    Files.createDirectories(root.resolve("config"));
    byte[] chunk = new byte[256 << 10];
    new Random(5).nextBytes(chunk);
    for (int f = 0; f < 400; f++) {
      Files.write(share.resolve("f" + f + ".bin"), chunk);
    }
    Path backupDir = Files.createDirectories(tmp.resolve("backup"));
    Haven haven = new Haven(tmp, root, backupDir);
    AtomicBoolean moved = new AtomicBoolean();
    Thread unplug = new Thread(() -> {
      try {
        while (!moved.get()) {
          try (var s = Files.list(backupDir)) {
            if (s.anyMatch(p -> p.getFileName().toString().startsWith(".haven-tmp-"))) {
              Files.move(root, tmp.resolve("unplugged"));
              moved.set(true);
            }
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, "unplug");
    unplug.setDaemon(true);
    unplug.start();
    Haven.Run r = haven.run("backups", "new", "--name", "unplugged", "--compression", "none");
    moved.set(true);
    unplug.join();
    assertTrue(Files.exists(tmp.resolve("unplugged")), "the root was moved during the backup");
    assertFalse(r.crashed(), r::toString);
    assertEquals(ExitCode.NOT_FOUND, r.exit(), r::toString);
    assertTrue(r.err().contains("The data root " + root + " disappeared during the backup"),
        r::toString);
    try (var s = Files.list(backupDir)) {
      assertEquals(List.of(), s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".tar") || n.startsWith(".haven-tmp-")).toList());
    }
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
