package io.haven.restic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.archive.BackupArchive;
import io.haven.testing.GenData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A copy killed with SIGKILL leaves a repository restic accepts, and the next copy completes. */
class ResticCrashTest {
  @TempDir Path dir;

  /** Copies one backup into a repository: the process the test kills. */
  public static void main(String[] args) throws Exception {
    try (Repository repo = Repository.open(new FileStorage(Path.of(args[0])), Restic.PASSWORD,
        Path.of(args[2])); BackupArchive a = BackupArchive.open(Path.of(args[1]))) {
      BackupCopy.copy(repo, a, Optional.empty());
    }
  }

  @Test
  void killedCopyLeavesACheckableRepository() throws Exception {
    Path root = GenData.copyTo(dir.resolve("root"), 40);
    Path backup = ResticInteropTest.backup(root, Files.createDirectories(dir.resolve("b")), "x");
    Path repoDir = dir.resolve("vault");
    Repository.init(new FileStorage(repoDir), Restic.PASSWORD, dir).close();
    Restic restic = new Restic(repoDir, dir);
    Restic.program();

    Process copy = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        ResticCrashTest.class.getName(), repoDir.toString(), backup.toString(), dir.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("copy.log").toFile()).start();
    for (int i = 0; i < 1200 && packs(repoDir) == 0 && copy.isAlive(); i++) {
      Thread.sleep(25);
    }
    assertTrue(copy.isAlive(), "the copy ended before a pack was stored; use a larger root");
    copy.destroyForcibly();
    copy.waitFor(30, TimeUnit.SECONDS);
    assertEquals(List.of(), snapshots(repoDir), "no snapshot of a copy that did not finish");

    // As after a killed restic: the dead process's lock is stale; restic's check wants it gone.
    restic.run("unlock");
    restic.run("check", "--read-data");
    try (Repository repo = Repository.open(new FileStorage(repoDir), Restic.PASSWORD, dir);
        BackupArchive a = BackupArchive.open(backup)) {
      BackupCopy.copy(repo, a, Optional.empty());
      assertEquals(List.of(), new Checker(repo).check(true).errors());
    }
    restic.run("check", "--read-data");
    assertEquals(1, snapshots(repoDir).size());
  }

  private static long packs(Path repo) throws Exception {
    try (Stream<Path> s = Files.walk(repo.resolve("data"))) {
      return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString()
          .startsWith(".")).count();
    }
  }

  private static List<Path> snapshots(Path repo) throws Exception {
    try (Stream<Path> s = Files.list(repo.resolve("snapshots"))) {
      return s.toList();
    }
  }
}
