package io.haven.restic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.archive.BackupArchive;
import io.haven.testing.GenData;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verify, locks with restic, the compact index and incremental copies. */
class ResticRepositoryTest {
  @TempDir Path dir;

  private Path copiedRepository() throws Exception {
    Path root = GenData.copyTo(dir.resolve("root"), 4);
    Path file = ResticInteropTest.backup(root, Files.createDirectories(dir.resolve("b")), "one");
    Path repoDir = dir.resolve("vault");
    try (Repository repo = Repository.init(new FileStorage(repoDir), Restic.PASSWORD, dir);
        BackupArchive a = BackupArchive.open(file)) {
      BackupCopy.copy(repo, a, Optional.empty());
    }
    return repoDir;
  }

  @Test
  void verifyNamesTheDamagedPack() throws Exception {
    Path repoDir = copiedRepository();
    try (Repository repo = Repository.open(new FileStorage(repoDir), Restic.PASSWORD, dir)) {
      assertEquals(List.of(), new Checker(repo).check(true).errors());
    }
    Path pack;
    try (var files = Files.walk(repoDir.resolve("data"))) {
      pack = files.filter(Files::isRegularFile).filter(p -> {
        try {
          return Files.size(p) > 100_000;
        } catch (java.io.IOException e) {
          return false;
        }
      }).findFirst().orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(pack.toFile(), "rw")) {
      f.seek(1000);
      int b = f.read();
      f.seek(1000);
      f.write(b ^ 0xff);
    }
    try (Repository repo = Repository.open(new FileStorage(repoDir), Restic.PASSWORD, dir)) {
      assertEquals(List.of(), new Checker(repo).check(false).errors(), "headers are intact");
      List<String> errors = new Checker(repo).check(true).errors();
      String name = pack.getFileName().toString();
      assertTrue(errors.stream().anyMatch(e -> e.contains(name) && e.contains("authentication")),
          errors.toString());
      assertTrue(errors.stream().anyMatch(e -> e.equals("pack " + name
          + " does not match its name: its bytes are damaged")), errors.toString());
    }
  }

  @Test
  void locksAreHonouredBothWays() throws Exception {
    Path repoDir = copiedRepository();
    Restic restic = new Restic(repoDir, dir);
    try (Repository repo = Repository.open(new FileStorage(repoDir), Restic.PASSWORD, dir)) {
      try (Lock shared = Lock.acquire(repo, false)) {
        Restic.Result prune = restic.tryRun("prune");
        assertTrue(prune.exit() != 0 && prune.out().contains("locked"), prune.out());
        restic.run("snapshots"); // a shared lock does not keep restic's readers out
      }
      // restic's backup from stdin holds its shared lock until the input ends
      Process backup = new ProcessBuilder(Restic.program().toString(), "-r", repoDir.toString(),
          "--password-file", dir.resolve("restic-password").toString(), "--no-cache", "-q",
          "backup", "--stdin").redirectErrorStream(true).start();
      try (OutputStream in = backup.getOutputStream()) {
        waitForLock(repoDir);
        var e = assertThrows(RepositoryLocked.class, () -> Lock.acquire(repo, true));
        assertTrue(e.getMessage().contains("lock is held by process " + backup.pid()),
            e.getMessage());
        assertEquals(5, e.exitCode());
        in.write("stdin data\n".getBytes());
      }
      assertTrue(backup.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, backup.exitValue());
      try (Lock exclusive = Lock.acquire(repo, true)) {
        assertFalse(Files.list(repoDir.resolve("locks")).count() != 1);
      }
      assertEquals(0, Files.list(repoDir.resolve("locks")).count());
    }
  }

  private static void waitForLock(Path repoDir) throws Exception {
    for (int i = 0; i < 600; i++) {
      try (var locks = Files.list(repoDir.resolve("locks"))) {
        if (locks.findAny().isPresent()) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("restic took no lock within 30 s");
  }

  @Test
  void compactIndexFindsEveryBlobAcrossRunsAndMerges() throws Exception {
    Random random = new Random(7);
    int n = BlobIndex.PENDING * 10 + 123; // ten runs: one merge, and a pending table
    try (BlobIndex index = new BlobIndex(dir)) {
      int pack = index.addPack(Id.of(new byte[32]));
      byte[][] ids = new byte[n][32];
      for (int i = 0; i < n; i++) {
        random.nextBytes(ids[i]);
        index.add(new BlobEntry(Id.of(ids[i]), i % 3 == 0 ? BlobType.TREE : BlobType.DATA, null,
            i, 100 + i, i % 2), pack);
      }
      for (int i = 0; i < n; i++) {
        BlobType type = i % 3 == 0 ? BlobType.TREE : BlobType.DATA;
        BlobEntry e = index.find(Id.of(ids[i]), type).orElseThrow();
        assertEquals(i, e.offset());
        assertEquals(100 + i, e.length());
        assertEquals(i % 2, e.rawLength());
        BlobType other = type == BlobType.TREE ? BlobType.DATA : BlobType.TREE;
        assertFalse(index.has(Id.of(ids[i]), other));
      }
    }
  }
}
