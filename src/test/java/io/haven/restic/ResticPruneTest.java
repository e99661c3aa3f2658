package io.haven.restic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.archive.BackupArchive;
import io.haven.failure.ExitCode;
import io.haven.testing.GenData;
import io.haven.testing.TreeSnapshot;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prune drops what only forgotten snapshots used, and restic agrees: its check reads every
 * blob, its restore gives the kept snapshots back, its own prune finds the repository in order;
 * restic's locks and Haven's exclude each other; a prune killed at each of its steps leaves a
 * repository restic accepts.
 */
class ResticPruneTest {
  private static final int NOISE = 6_000_000;

  @TempDir Path dir;

  /**
   * Prunes the repository at args[1], spooling in args[0]: the process the kill test kills. With
   * args[2..4] ("delete", "data/", "2") it stops for good before that step ({@link
   * PausingStorage}).
   */
  public static void main(String[] args) throws Exception {
    Storage files = new FileStorage(Path.of(args[1]));
    Storage storage = args.length > 2
        ? new PausingStorage(files, args[2], args[3], Integer.parseInt(args[4])) : files;
    try (storage; Repository repo = Repository.open(storage, Restic.PASSWORD, Path.of(args[0]))) {
      Pruner.prune(repo);
    }
  }

  @Test
  void aForgottenBackupsOwnDataIsDroppedAndResticAgrees() throws Exception {
    Path repoDir = dir.resolve("vault");
    Restic restic = new Restic(repoDir, dir);
    Restic.program();
    Path root = GenData.copyTo(dir.resolve("root"), 4);
    Map<String, String> first = threeCopies(root, repoDir);
    long before = TreeSnapshot.fileBytes(repoDir.resolve("data"));
    try (Repository repo = Repository.open(new FileStorage(repoDir), Restic.PASSWORD, dir)) {
      List<StoredSnapshot> snaps = repo.snapshots();
      repo.storage().delete("snapshots/" + snaps.get(1).id()); // as a forget does
      Vault.Reclaimed r = Pruner.prune(repo);
      long after = TreeSnapshot.fileBytes(repoDir.resolve("data"));
      System.out.printf("RESTIC prune: %d packs deleted, %d repacked, %d bytes freed (%d -> %d)%n",
          r.packsDeleted(), r.packsRepacked(), r.bytesFreed(), before, after);
      assertTrue(before - after > NOISE * 9L / 10, "freed " + (before - after) + " of " + before);
      assertTrue(before - after < NOISE * 3L / 2, "freed " + (before - after) + " of " + before);
      assertTrue(Math.abs(before - after - r.bytesFreed()) < 100_000, r + " " + (before - after));
      // The data pack the second backup shares with the third, and the second's pack of trees
      // when the third still uses some of them (as directories' times fall, or not).
      assertTrue(r.packsRepacked() >= 1 && r.packsRepacked() <= 2, r.toString());
      assertEquals(new Vault.Reclaimed(0, 0, 0), Pruner.prune(repo), "a second prune");
      assertTrue(new Checker(repo).check(true).ok(), "Haven's check after its prune");

      restic.run("check", "--read-data");
      Path one = dir.resolve("one");
      restic.run("restore", snaps.get(0).id().toString(), "--target", one.toString());
      TreeSnapshot.assertSame(first, ResticInteropTest.restored(one), "the first backup");
      Path three = dir.resolve("three");
      restic.run("restore", snaps.get(2).id().toString(), "--target", three.toString());
      TreeSnapshot.assertSame(ResticInteropTest.expected(root),
          ResticInteropTest.restored(three), "the third backup");
    }
    long pruned = TreeSnapshot.fileBytes(repoDir.resolve("data"));
    restic.run("prune");
    assertEquals(pruned, TreeSnapshot.fileBytes(repoDir.resolve("data")),
        "restic's prune finds nothing to do");
    restic.run("check");
    try (Repository repo = Repository.open(new FileStorage(repoDir), Restic.PASSWORD, dir)) {
      assertTrue(new Checker(repo).check(true).ok(), "Haven's check after restic's prune");
      assertEquals(2, repo.snapshots().size());
      assertEquals(0, Pruner.prune(repo).packsDeleted(), "restic's prune left nothing unused");
    }
  }

  @Test
  void resticsLocksAndHavensExcludeEachOther() throws Exception {
    Path repoDir = dir.resolve("vault");
    Restic restic = new Restic(repoDir, dir);
    Restic.program();
    restic.run("init", "--repository-version", "2");
    try (Repository repo = Repository.open(new FileStorage(repoDir), Restic.PASSWORD, dir)) {
      // A restic backup that waits for its input holds its lock all that while. It says when it
      // reads: by then it has checked the other locks, which it does a moment after making its
      // own, so a prune started in between would make it give up.
      Process backup = restic.start("backup", "--verbose", "--stdin", "--stdin-filename",
          "slow.txt");
      BufferedReader said = new BufferedReader(new InputStreamReader(backup.getInputStream(),
          StandardCharsets.UTF_8));
      StringBuilder out = new StringBuilder();
      try {
        while (!out.toString().contains("read data from stdin")) {
          String line = said.readLine();
          assertNotNull(line, "restic's backup ended before it read its input: " + out);
          out.append(line).append('\n');
        }
        assertEquals(1, count(repoDir.resolve("locks")), "restic's lock");
        RepositoryLocked e = assertThrows(RepositoryLocked.class, () -> Pruner.prune(repo));
        assertEquals(ExitCode.BUSY, e.exitCode());
        assertTrue(e.getMessage().contains("is in use"), e.getMessage());
      } finally {
        if (backup.isAlive()) {
          backup.getOutputStream().write("the end\n".getBytes());
          backup.getOutputStream().close();
        }
        assertTrue(backup.waitFor(60, TimeUnit.SECONDS));
      }
      for (String line; (line = said.readLine()) != null; ) {
        out.append(line).append('\n');
      }
      assertEquals(0, backup.exitValue(), out.toString());
      assertEquals(0, Pruner.prune(repo).packsDeleted(), "restic's backup is all used");

      try (Lock held = Lock.acquire(repo, true)) {
        Restic.Result r = restic.tryRun("backup", root(dir).toString());
        assertNotEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("locked"), r.out());
      }
      assertEquals(1, repo.snapshots().size());
    }
  }

  @Test
  void aPruneKilledAtEachOfItsStepsLeavesARepositoryResticAccepts() throws Exception {
    Path repoDir = dir.resolve("vault");
    threeCopiesSecondForgotten(repoDir);
    Restic restic = new Restic(repoDir, dir);
    // New packs stored but no index naming them; the new index stored beside the old; the old
    // index gone and half the packs to delete still there.
    for (List<String> step : List.of(List.of("put", "index/", "1"),
        List.of("delete", "index/", "1"), List.of("delete", "data/", "2"))) {
      Process prune = prune(repoDir, step);
      String paused = awaitPause(prune);
      prune.destroyForcibly();
      prune.waitFor(30, TimeUnit.SECONDS);
      assertTrue(paused.startsWith(PausingStorage.PAUSED), paused);
      restic.run("unlock"); // the killed process's lock, as after a killed restic
      restic.run("check", "--read-data");
    }
    Process prune = prune(repoDir, List.of());
    String out = new String(prune.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, prune.waitFor(), out);
    Restic.Result check = restic.tryRun("check", "--read-data");
    assertEquals(0, check.exit(), check.out());
    assertFalse(check.out().contains("not referenced"), "the next prune removed what the killed"
        + " ones left:\n" + check.out());
    long pruned = TreeSnapshot.fileBytes(repoDir.resolve("data"));
    restic.run("prune");
    assertEquals(pruned, TreeSnapshot.fileBytes(repoDir.resolve("data")),
        "restic's prune finds nothing to do");
  }

  private void threeCopiesSecondForgotten(Path repoDir) throws Exception {
    Restic.program();
    threeCopies(GenData.copyTo(dir.resolve("root"), 4), repoDir);
    try (Repository repo = Repository.open(new FileStorage(repoDir), Restic.PASSWORD, dir)) {
      repo.storage().delete("snapshots/" + repo.snapshots().get(1).id()); // as a forget does
    }
  }

  private Process prune(Path repoDir, List<String> step) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
        "java").toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        ResticPruneTest.class.getName(), dir.toString(), repoDir.toString()));
    cmd.addAll(step);
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  // The line the process says before it stops, or all it said when it ended without stopping.
  private static String awaitPause(Process p) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8));
    StringBuilder all = new StringBuilder("ended without stopping:\n");
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith(PausingStorage.PAUSED)) {
        return line;
      }
      all.append(line).append('\n');
    }
    return all.toString();
  }

  // Three backups into a new repository at repoDir; the second alone holds NOISE random bytes,
  // in one pack with a third as many that the third backup keeps.
  // Returns the first backup's tree as a restore gives it.
  private Map<String, String> threeCopies(Path root, Path repoDir) throws Exception {
    Path backups = Files.createDirectories(dir.resolve("backups-" + repoDir.getFileName()));
    Random random = new Random(3);
    Map<String, String> first;
    try (Repository repo = Repository.init(new FileStorage(repoDir), Restic.PASSWORD, dir)) {
      copy(repo, ResticInteropTest.backup(root, backups, "one"));
      first = ResticInteropTest.expected(root);
      byte[] noise = new byte[NOISE];
      random.nextBytes(noise);
      Path only = Files.write(root.resolve("share/only-in-two.bin"), noise);
      // In the same pack as the noise, and still used by the third: that pack is repacked.
      byte[] kept = new byte[NOISE / 3];
      random.nextBytes(kept);
      Files.write(root.resolve("share/from-two-on.bin"), kept);
      copy(repo, ResticInteropTest.backup(root, backups, "two"));
      Files.delete(only);
      Files.writeString(root.resolve("share/three.txt"), "the third\n");
      copy(repo, ResticInteropTest.backup(root, backups, "three"));
    }
    return first;
  }

  private static void copy(Repository repo, Path backup) throws Exception {
    try (BackupArchive a = BackupArchive.open(backup)) {
      BackupCopy.copy(repo, a, Optional.empty());
    }
  }

  private static Path root(Path dir) throws Exception {
    Path src = Files.createDirectories(dir.resolve("small"));
    Files.writeString(src.resolve("a.txt"), "a");
    return src;
  }


  private static long count(Path d) throws Exception {
    if (!Files.isDirectory(d)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(d)) {
      return s.filter(Files::isRegularFile).count();
    }
  }
}
