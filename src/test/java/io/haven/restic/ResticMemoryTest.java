package io.haven.restic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haven.archive.BackupArchive;
import io.haven.restore.RestoreRequest;
import io.haven.testing.GenData;
import io.haven.testing.TreeSnapshot;
import io.haven.tree.DataRoot;
import io.haven.tree.Progress;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copy, check --read-data, staged restore and prune of a 300 MB root, each in a JVM of -Xmx64m
 * with the serial collector, as Haven's launchers run it: G1 does not move buffers of several
 * MiB, so whether its heap had room for one in one piece depended on where earlier ones lay.
 */
class ResticMemoryTest {
  private static final int SCALE_MB = 300;

  @TempDir Path dir;

  /**
   * One step in a JVM of its own: copy BACKUP | check | prune | restore ROOT. Prints its peak
   * heap.
   */
  public static void main(String[] args) throws Exception {
    Path spool = Path.of(args[1]);
    try (Repository repo = Repository.open(new FileStorage(Path.of(args[0])), Restic.PASSWORD,
        spool)) {
      switch (args[2]) {
        case "copy" -> {
          try (BackupArchive a = BackupArchive.open(Path.of(args[3]))) {
            BackupCopy.copy(repo, a, Optional.empty());
          }
        }
        case "prune" -> System.out.println(Pruner.prune(repo));
        case "check" -> {
          Checker.Report r = new Checker(repo).check(true);
          if (!r.ok()) {
            throw new AssertionError(r.errors().toString());
          }
        }
        default -> new io.haven.restore.Restorer(new DataRoot(Path.of(args[3])), Progress.NONE)
            .restore(SnapshotSource.of(repo, repo.snapshots().get(0)),
                new RestoreRequest(List.of(), Optional.empty()));
      }
    }
    long heap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heap += pool.getPeakUsage().getUsed();
      }
    }
    System.out.println(args[2] + ": peak heap " + heap / (1024 * 1024) + " MiB");
  }

  @Test
  void copyCheckRestoreAndPruneFitIn64MibOfHeap() throws Exception {
    Path root = GenData.copyTo(dir.resolve("root"), SCALE_MB);
    Path backup = ResticInteropTest.backup(root, Files.createDirectories(dir.resolve("b")), "x");
    Path repoDir = dir.resolve("vault");
    Repository.init(new FileStorage(repoDir), Restic.PASSWORD, dir).close();
    Path target = dir.resolve("restored");

    step(repoDir, "copy", backup.toString());
    Files.delete(backup);
    step(repoDir, "check", "-");
    step(repoDir, "restore", target.toString());
    step(repoDir, "prune", "-"); // every tree walked and every pack weighed; nothing unused

    new Restic(repoDir, dir).run("check", "--read-data");
    TreeSnapshot.assertSame(ResticInteropTest.expected(root), ResticInteropTest.restored(target),
        "the data root restored under -Xmx64m");
  }

  private void step(Path repoDir, String what, String arg) throws Exception {
    Path log = dir.resolve(what + ".log");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        ResticMemoryTest.class.getName(), repoDir.toString(), dir.toString(), what, arg)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    p.waitFor(20, TimeUnit.MINUTES);
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), what + " under -Xmx64m:\n" + out);
    System.out.print(out);
  }
}
