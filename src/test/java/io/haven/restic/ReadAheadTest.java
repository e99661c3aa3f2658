package io.haven.restic;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.archive.BackupArchive;
import io.haven.testing.GenData;
import io.haven.testing.TreeSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore and a read-data check through {@link ReadAhead} ask the storage for a small part of
 * the reads they make: a pack's blobs are served from a fetch of its next two MiB.
 */
class ReadAheadTest {
  @TempDir Path dir;

  @Test
  void aRestoreAndACheckFetchEachPartOfAPackOnce() throws Exception {
    Path root = GenData.copyTo(dir.resolve("root"), 16);
    Path backup = ResticInteropTest.backup(root, Files.createDirectories(dir.resolve("b")), "x");
    Path repoDir = dir.resolve("vault");
    try (Repository repo = Repository.init(new FileStorage(repoDir), Restic.PASSWORD, dir);
        BackupArchive archive = BackupArchive.open(backup)) {
      BackupCopy.copy(repo, archive, Optional.empty());
    }
    Counting direct = new Counting(new FileStorage(repoDir));
    Counting behind = new Counting(new FileStorage(repoDir));
    try (Repository plain = Repository.open(direct, Restic.PASSWORD, dir);
        Repository ahead = Repository.open(new ReadAhead(behind), Restic.PASSWORD, dir)) {
      Id tree = plain.snapshots().get(0).snapshot().treeId();
      new Restorer(plain).restoreTo(tree, dir.resolve("direct"));
      new Restorer(ahead).restoreTo(tree, dir.resolve("ahead"));
      long restoreDirect = direct.reads.get();
      long restoreAhead = behind.reads.get();
      assertTrue(new Checker(plain).check(true).ok());
      assertTrue(new Checker(ahead).check(true).ok());
      long checkDirect = direct.reads.get() - restoreDirect;
      long checkAhead = behind.reads.get() - restoreAhead;
      System.out.printf("READ-AHEAD restore of %s: %d reads of the storage, %d without;"
          + " check --read-data: %d, %d without%n", root.getFileName(), restoreAhead,
          restoreDirect, checkAhead, checkDirect);
      assertTrue(restoreAhead * 10 < restoreDirect, restoreAhead + " vs " + restoreDirect);
      assertTrue(checkAhead * 5 < checkDirect, checkAhead + " vs " + checkDirect);
    }
    TreeSnapshot.assertSame(TreeSnapshot.of(dir.resolve("direct"), rel -> false),
        TreeSnapshot.of(dir.resolve("ahead"), rel -> false), "the same tree both ways");
  }

  /** Counts the ranged reads of packs that reach the storage. */
  private static final class Counting extends ForwardingStorage {
    final AtomicLong reads = new AtomicLong();

    Counting(Storage inner) {
      super(inner);
    }

    @Override
    public byte[] readUpTo(String name, long offset, int most) throws IOException {
      if (name.startsWith("data/")) {
        reads.incrementAndGet();
      }
      return storage.readUpTo(name, offset, most);
    }
  }
}
