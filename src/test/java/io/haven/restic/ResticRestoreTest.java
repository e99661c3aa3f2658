package io.haven.restic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.archive.ArchiveException;
import io.haven.archive.BackupArchive;
import io.haven.restore.RestoreRequest;
import io.haven.testing.GenData;
import io.haven.testing.TreeSnapshot;
import io.haven.tree.DataRoot;
import io.haven.tree.Progress;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot is restored into a data root by the staged restore, or refused untouched. */
class ResticRestoreTest {
  private static final int SCALE_MB = 4;

  @TempDir Path dir;

  private Path copied(Path root) throws Exception {
    Path backup = ResticInteropTest.backup(root, Files.createDirectories(dir.resolve("b")), "x");
    Path repoDir = dir.resolve("vault");
    try (Repository repo = Repository.init(new FileStorage(repoDir), Restic.PASSWORD, dir);
        BackupArchive a = BackupArchive.open(backup)) {
      BackupCopy.copy(repo, a, Optional.empty());
    }
    return repoDir;
  }

  private static void restore(Path repoDir, Path dataRoot, Path spool) throws Exception {
    try (Repository repo = Repository.open(new FileStorage(repoDir), Restic.PASSWORD, spool)) {
      SnapshotSource source = SnapshotSource.of(repo, repo.snapshots().get(0));
      new io.haven.restore.Restorer(new DataRoot(dataRoot), Progress.NONE)
          .restore(source, new RestoreRequest(List.of(), Optional.empty()));
    }
  }

  @Test
  void snapshotRestoresTheDataRootThroughStaging() throws Exception {
    Path root = GenData.copyTo(dir.resolve("root"), SCALE_MB);
    Path repoDir = copied(root);
    Path target = Files.createDirectories(dir.resolve("target"));
    Files.createDirectories(target.resolve("share"));
    Files.writeString(target.resolve("share/stale.txt"), "not in the backup\n");

    restore(repoDir, target, dir);

    TreeSnapshot.assertSame(ResticInteropTest.expected(root),
        ResticInteropTest.restored(target), "the data root restored from the snapshot");
    assertEquals(Files.size(root.resolve("config/home-assistant_v2.db")) > 0,
        Files.size(target.resolve("config/home-assistant_v2.db")) > 0);
  }

  @Test
  void damagedPackIsRefusedBeforeTheDataRootIsTouched() throws Exception {
    Path root = GenData.copyTo(dir.resolve("root"), SCALE_MB);
    Path repoDir = copied(root);
    Path target = GenData.copyTo(dir.resolve("target"), 1);
    Map<String, String> before = TreeSnapshot.of(target, rel -> false);
    Path pack = largestPack(repoDir);
    try (RandomAccessFile f = new RandomAccessFile(pack.toFile(), "rw")) {
      f.seek(1000);
      int b = f.read();
      f.seek(1000);
      f.write(b ^ 0xff);
    }

    var e = assertThrows(ArchiveException.Corrupt.class, () -> restore(repoDir, target, dir));
    assertTrue(e.getMessage().contains("in pack " + pack.getFileName().toString()
        .substring(0, 8)), e.getMessage());
    TreeSnapshot.assertSame(before, TreeSnapshot.of(target, rel -> false),
        "the data root after a refused restore");
  }

  private static Path largestPack(Path repoDir) throws Exception {
    try (Stream<Path> files = Files.walk(repoDir.resolve("data"))) {
      return files.filter(Files::isRegularFile).max((a, b) -> Long.compare(a.toFile().length(),
          b.toFile().length())).orElseThrow();
    }
  }
}
