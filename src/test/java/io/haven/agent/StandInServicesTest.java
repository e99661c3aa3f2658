package io.haven.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.archive.Compression;
import io.haven.archive.SecureTar;
import io.haven.backup.BackupRequest;
import io.haven.config.Config;
import io.haven.config.Service;
import io.haven.config.Services;
import io.haven.restore.RestoreRequest;
import io.haven.testing.GenData;
import io.haven.testing.TreeSnapshot;
import io.haven.tree.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes stand in for Home Assistant: a loop that keeps writing to the recorder database
 * and logs each write's time outside the data root. The restore's hooks stop it, swap, start it.
 */
class StandInServicesTest {
  @TempDir Path tmp;
  Path pidFile;

  // Writes one row every few milliseconds until killed; each write's nanosecond time is logged.
  private static final String STANDIN = String.join("\n",
      "#!/bin/sh",
      "db=\"$1/config/home-assistant_v2.db\"; log=\"$2\"",
      "while true; do",
      "  sqlite3 \"$db\" \"insert into states (state) values ('x')\" 2>/dev/null || exit 1",
      "  date +%s%N >> \"$log\"",
      "done", "");

  // Waits until the stand-in and its last sqlite3 are gone: one still writing its journal into
  // config/ made the temporary directory's removal fail.
  @AfterEach
  void stopStandIn() throws Exception {
    if (pidFile != null && Files.exists(pidFile)) {
      String sqlite = "sqlite3 .*" + tmp + "/root/config/[h]ome-assistant_v2.db";
      new ProcessBuilder("sh", "-c", "p=$(cat " + pidFile + "); kill $p 2>/dev/null;"
          + " while kill -0 $p 2>/dev/null; do sleep 0.01; done;"
          + " while pgrep -f '" + sqlite + "' >/dev/null; do sleep 0.01; done; true").start()
          .waitFor();
    }
  }

  @Test
  void restoreStopsSwapsStartsAndNothingWritesDuringTheSwap() throws Exception {
    Path root = GenData.copyTo(tmp.resolve("root"), 4);
    exec("sqlite3 " + root.resolve("config/home-assistant_v2.db")
        + " 'create table if not exists states (id integer primary key, state text)'");
    Path script = Files.writeString(tmp.resolve("standin.sh"), STANDIN);
    pidFile = tmp.resolve("standin.pid");
    Path writes = tmp.resolve("writes.log");
    Path events = tmp.resolve("events.log");
    String start = "sh " + script + " " + root + " " + writes + " >/dev/null 2>&1 & echo $! > "
        + pidFile + "; echo start $(date +%s%N) >> " + events;
    String stop = "kill $(cat " + pidFile + "); while kill -0 $(cat " + pidFile + ") 2>/dev/null;"
        + " do sleep 0.01; done; echo stop $(date +%s%N) >> " + events;
    String health = "kill -0 $(cat " + pidFile + ") && echo healthy $(date +%s%N) >> " + events;
    Services services = new Services(List.of(new Service("homeassistant", Optional.of(stop),
        Optional.of(start), Optional.empty(), Optional.of(health), Duration.ofSeconds(20),
        false)));
    Config config = new Config(root, tmp.resolve("backup"), Compression.ZSTD, 2)
        .withServices(services);
    exec(start);
    Thread.sleep(300);

    Backups backups = new Backups(config, Clock.systemUTC(), "test");
    String slug = backups.create(new BackupRequest("with writers", List.of(), Optional.empty(),
        Compression.ZSTD, SecureTar.Version.V3, false, Optional.empty()), Progress.NONE)
        .metadata().slug();
    Thread.sleep(300); // the stand-in writes on after the backup
    // What the stand-in keeps writing, and what a backup leaves out, are not compared.
    Predicate<String> live = BackupsRoundTripTest.NOT_BACKED_UP.or(rel -> rel.equals("config")
        || rel.startsWith("config/home-assistant"));
    java.util.Map<String, String> backedUp = TreeSnapshot.of(root, live);
    Files.writeString(root.resolve("share/added-after.txt"), "gone after the restore");

    long[] swap = new long[1];
    backups.restore(slug, new RestoreRequest(List.of(), Optional.empty()), new Progress() {
      @Override
      public void stage(String s) {
        if (s.equals("swapping")) {
          swap[0] = System.currentTimeMillis() * 1_000_000L;
        }
      }
    });

    List<String> lines = Files.readAllLines(events);
    assertEquals(List.of("start", "stop", "start", "healthy"),
        lines.stream().map(l -> l.split(" ")[0]).toList(), lines.toString());
    long stopped = Long.parseLong(lines.get(1).split(" ")[1]);
    long restarted = Long.parseLong(lines.get(2).split(" ")[1]);
    assertTrue(stopped < swap[0] && swap[0] < restarted, "the swap ran while the service was down");
    long during = Files.readAllLines(writes).stream().mapToLong(Long::parseLong)
        .filter(t -> t > stopped && t < restarted).count();
    assertEquals(0, during, "no write landed between stop and start");
    assertTrue(exec("kill -0 $(cat " + pidFile + ")") == 0, "the stand-in runs again");
    TreeSnapshot.assertSame(backedUp, TreeSnapshot.of(root, live), "restored root");
    assertEquals(0, exec("sqlite3 " + root.resolve("config/home-assistant_v2.db")
        + " -cmd '.timeout 10000' 'pragma integrity_check' | grep -qx ok"),
        "the database is intact");
  }

  private static int exec(String command) throws Exception {
    return new ProcessBuilder("sh", "-c", command).inheritIO().start().waitFor();
  }
}
