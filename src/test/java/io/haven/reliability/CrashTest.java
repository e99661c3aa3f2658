package io.haven.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.haven.testing.GenData;
import io.haven.testing.TreeSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real {@code haven} process at random points of a backup and of a restore. The
 * number of kills and the seed come from {@code -Dhaven.crash.runs} (default 3 each) and
 * {@code -Dhaven.crash.seed}; reliability/run.sh runs many more.
 */
class CrashTest {
  static final int RUNS = Integer.getInteger("haven.crash.runs", 3);
  static final long SEED = Long.getLong("haven.crash.seed", 20260101L);
  static final int SWAP_PAUSE_MS = 120;

  /** Directories whose own time changes when a part below them is swapped: not content. */
  static final Predicate<String> CONTAINERS = rel -> rel.equals("addons")
      || rel.equals("addons/data");

  @TempDir Path tmp;

  @Test
  void killedBackupNeverLeavesAListedArchiveThatIsNotWhole() throws Exception {
    Path source = GenData.copyTo(tmp.resolve("source"), 4);
    Haven haven = new Haven(tmp, source, tmp.resolve("backup"));
    Map<String, String> before = TreeSnapshot.of(source, CrashTest::sqliteIndex);
    long work = timedRun(haven, Map.of(), "backups", "new", "--name", "calibration");
    Random random = new Random(SEED);
    int completed = 0;
    int cut = 0;
    for (int i = 0; i < RUNS; i++) {
      int listedBefore = listed(haven).size();
      long delay = (long) (random.nextDouble() * work * 1.15);
      killAfter(haven.fork(Map.of(), "backups", "new", "--name", "crash " + i), haven, delay);
      List<String> listed = listed(haven);
      for (String file : listed) {
        Haven.Run v = haven.run("verify", file);
        assertEquals(0, v.exit(), () -> "listed archive " + file + " after kill " + delay
            + " ms must verify: " + v);
      }
      if (listed.size() > listedBefore) {
        completed++;
      } else {
        cut++;
      }
      Haven.Run reload = haven.run("backups", "reload");
      assertEquals(0, reload.exit(), reload::toString);
      assertEquals(List.of(), temps(haven.backupDir), "reload removes what the kill left");
      TreeSnapshot.assertSame(before, TreeSnapshot.of(source, CrashTest::sqliteIndex),
          "source after kill at " + delay);
    }
    report("backup", "kill -9: " + RUNS + " runs (seed " + SEED + ", work " + work + " ms): "
        + cut + " cut before commit (nothing listed), " + completed + " completed and verified,"
        + " 0 half archives listed, 0 leftovers after reload, source untouched");
  }

  // A WAL database's -shm file is SQLite's shared-memory index of the WAL: every reader may
  // rewrite it, it holds no data, and Home Assistant's backups leave it out.
  private static boolean sqliteIndex(String path) {
    return path.endsWith("-shm");
  }

  @Test
  void killedRestoreLeavesTheOldTreeOrTheRestoredTree() throws Exception {
    Path original = GenData.copyTo(tmp.resolve("original"), 4);
    Path backups = tmp.resolve("backup");
    Haven maker = new Haven(tmp, original, backups);
    Haven.Run made = maker.run("backups", "new", "--name", "to restore");
    assertEquals(0, made.exit(), made::toString);
    String slug = made.out().trim();
    changeAfterBackup(original);
    Map<String, String> oldTree = TreeSnapshot.of(original, CONTAINERS);

    Path calibrated = copy(original, tmp.resolve("calibrated"));
    Haven cal = new Haven(tmp, calibrated, backups);
    Map<String, String> pause = Map.of("HAVEN_TEST_SWAP_PAUSE_MS", "" + SWAP_PAUSE_MS);
    long work = timedRun(cal, pause, "backups", "restore", slug);
    Map<String, String> newTree = TreeSnapshot.of(calibrated, CONTAINERS);
    assertFalse(newTree.equals(oldTree), "the restore must change the tree");

    Random random = new Random(SEED + 1);
    Map<String, Integer> phases = new TreeMap<>();
    int old = 0;
    int restored = 0;
    for (int i = 0; i < RUNS; i++) {
      Path root = copy(original, tmp.resolve("run-" + i));
      Haven haven = new Haven(tmp, root, backups);
      long delay = (long) (random.nextDouble() * work * 1.1);
      killAfter(haven.fork(pause, "backups", "restore", slug), haven, delay);
      phases.merge(phase(root), 1, Integer::sum);
      Haven.Run reload = haven.run("backups", "reload");
      assertEquals(0, reload.exit(), reload::toString);
      Map<String, String> after = TreeSnapshot.of(root, CONTAINERS);
      if (after.equals(oldTree)) {
        old++;
      } else if (after.equals(newTree)) {
        restored++;
      } else {
        TreeSnapshot.assertSame(oldTree, after, "after kill at " + delay + " ms (" + phases
            + "), neither the old tree");
        fail("neither old nor restored");
      }
      GenData.run(new ProcessBuilder("rm", "-rf", root.toString()));
    }
    report("restore", "kill -9: " + RUNS + " runs (seed " + SEED + ", work " + work + " ms,"
        + " phase at kill " + phases + "): " + old + " old tree, " + restored
        + " restored tree, 0 mixed");
  }

  // A file added, one changed, one removed, and an add-on the backup does not have.
  static void changeAfterBackup(Path root) throws IOException {
    Files.writeString(root.resolve("share/added-after-backup.txt"), "new");
    Files.writeString(root.resolve("ssl/fullchain.pem"), "changed after the backup");
    Files.delete(root.resolve("addons/local/my_addon/run.sh"));
    Files.createDirectories(root.resolve("addons/data/new_addon"));
    Files.writeString(root.resolve("addons/data/new_addon/options.json"), "{}");
  }

  /** Runs to the end; returns how long the job itself took, from taking the lock. */
  static long timedRun(Haven haven, Map<String, String> env, String... args) throws Exception {
    Process p = haven.fork(env, args).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long started = waitForJob(haven, p);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), "calibration run of " + List.of(args));
    return Math.max(1, (System.nanoTime() - started) / 1_000_000);
  }

  static void killAfter(ProcessBuilder pb, Haven haven, long delayMs) throws Exception {
    Process p = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    waitForJob(haven, p);
    Thread.sleep(delayMs);
    p.destroyForcibly(); // SIGKILL
    assertTrue(p.waitFor(1, TimeUnit.MINUTES));
  }

  // The job lock file names the job once it is held: the JVM has started and the work begins.
  static long waitForJob(Haven haven, Process p) throws Exception {
    Path lock = haven.backupDir.resolve(".haven.lock");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (System.nanoTime() < deadline) {
      if (Files.exists(lock) && Files.size(lock) > 0 || !p.isAlive()) {
        return System.nanoTime();
      }
      Thread.sleep(2);
    }
    p.destroyForcibly();
    throw new AssertionError("haven did not start its job within a minute");
  }

  static List<String> listed(Haven haven) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(haven.backupDir)) {
      return out;
    }
    Haven.Run list = haven.run("backups", "list", "--raw-json");
    assertEquals(0, list.exit(), list::toString);
    assertFalse(list.err().contains("not a readable backup"), list::toString);
    for (String line : list.out().split("\n")) {
      int at = line.indexOf("\"slug\" : \"");
      if (at >= 0) {
        String slug = line.substring(at + 10, line.indexOf('"', at + 10));
        out.add(haven.backupDir.resolve(slug + ".tar").toString());
      }
    }
    return out;
  }

  static List<String> temps(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".haven-tmp-"))
          .toList();
    }
  }

  // Where the killed restore was, from its journal (before the next start cleans it).
  static String phase(Path root) throws IOException {
    try (Stream<Path> s = Files.list(root)) {
      Path work = s.filter(p -> p.getFileName().toString().startsWith(".haven-restore-"))
          .findFirst().orElse(null);
      if (work == null) {
        return "none";
      }
      Path journal = work.resolve("journal.json");
      if (!Files.exists(journal)) {
        return "created";
      }
      String j = Files.readString(journal);
      return j.contains("SWAPPING") ? "swapping" : j.contains("COMMITTED") ? "committed"
          : "staging";
    }
  }

  static Path copy(Path from, Path to) throws Exception {
    GenData.run(new ProcessBuilder("cp", "-a", from.toString(), to.toString()));
    return to;
  }

  static void report(String what, String line) throws IOException {
    System.out.println("RELIABILITY " + what + " " + line);
    Path out = Path.of(System.getProperty("haven.reliability.report", "target/reliability.txt"));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, what + ": " + line + "\n", java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }
}
