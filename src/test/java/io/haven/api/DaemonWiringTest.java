package io.haven.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.haven.agent.BackupKeys;
import io.haven.agent.Daemon;
import io.haven.archive.ArchiveException;
import io.haven.archive.BackupArchive;
import io.haven.archive.Part;
import io.haven.archive.Secret;
import io.haven.archive.Verifier;
import io.haven.config.Config;
import io.haven.config.Offsite;
import io.haven.config.Offsite.Recurrence;
import io.haven.config.Service;
import io.haven.config.Services;
import io.haven.device.LedConfig;
import io.haven.store.JobLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's timer and status LED, in a running agent: a schedule a few seconds ahead makes a
 * backup as a job the API lists; the sysfs LED (a directory laid out like /sys) follows the jobs.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // if a wait never ends
class DaemonWiringTest {
  private static final String ACT = "sys/devices/platform/leds/leds/ACT";

  @TempDir Path tmp;

  private Config config() throws Exception {
    Path root = tmp.resolve("root");
    Files.createDirectories(root.resolve("config"));
    Files.writeString(root.resolve("config/configuration.yaml"), "homeassistant:\n");
    Files.createDirectories(root.resolve("share"));
    Files.writeString(root.resolve("share/a.txt"), "hello");
    return RunningAgent.config(root, tmp.resolve("backup"));
  }

  private Config withSysfsLed(Config c) throws Exception {
    Path led = tmp.resolve("sys-root").resolve(ACT);
    Files.createDirectories(led);
    Files.writeString(led.resolve("brightness"), "0\n");
    Files.writeString(led.resolve("max_brightness"), "255\n");
    Files.writeString(led.resolve("trigger"), "none [mmc0] timer heartbeat\n");
    Files.writeString(led.resolve("delay_on"), "0\n");
    Files.writeString(led.resolve("delay_off"), "0\n");
    Path classLeds = tmp.resolve("sys-root/sys/class/leds");
    Files.createDirectories(classLeds);
    Files.createSymbolicLink(classLeds.resolve("ACT"),
        Path.of("../../devices/platform/leds/leds/ACT"));
    return c.withSysRoot(tmp.resolve("sys-root")).withLed(LedConfig.sysfs("ACT"));
  }

  private String led(String attribute) throws Exception {
    return Files.readString(tmp.resolve("sys-root").resolve(ACT).resolve(attribute)).strip();
  }

  /** "idle", "working", "error" or "off", as the sysfs files show it. */
  private String ledShows() throws Exception {
    if (led("trigger").equals("timer")) {
      return led("delay_on").equals("500") ? "working" : "error";
    }
    return led("brightness").equals("0") ? "off" : "idle";
  }

  private static Config scheduledAt(Config c, LocalTime time) {
    return c.withOffsite(new Offsite(c.locationsFile(), new Offsite.ScheduleSettings(
        Recurrence.DAILY, Optional.of(time), Set.of()), Offsite.RetentionSettings.FOREVER,
        Map.of()));
  }

  // Far enough ahead that a slow start of the agent (a loaded machine) does not miss the time and
  // plan the run for the next day.
  private static LocalTime secondsAhead(int seconds) {
    LocalTime now = LocalTime.now();
    LocalTime at = now.plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS);
    Assumptions.assumeTrue(at.isAfter(now), "too close to midnight for a same-day schedule");
    return at;
  }

  private static JsonNode awaitJob(RunningAgent agent, String name) throws Exception {
    while (true) {
      for (JsonNode j : agent.get("/jobs/info").data().get("jobs")) {
        if (j.get("name").asText().equals(name) && j.get("done").asBoolean()) {
          return j;
        }
      }
      Thread.sleep(50);
    }
  }

  private static List<String> slugs(RunningAgent agent) throws Exception {
    return StreamSupport.stream(agent.get("/backups").data().get("backups").spliterator(), false)
        .map(b -> b.get("slug").asText()).toList();
  }

  @Test
  void scheduleAFewSecondsAheadMakesABackupAsAJobTheApiLists() throws Exception {
    try (RunningAgent agent = new RunningAgent(scheduledAt(config(), secondsAhead(10)))) {
      assertTrue(agent.daemon.daemon().scheduleRuns());
      JsonNode job = awaitJob(agent, Daemon.SCHEDULED_JOB);

      assertEquals(0, job.get("errors").size(), job.toString());
      String slug = job.get("reference").asText();
      assertEquals(List.of(slug), slugs(agent));
      JsonNode info = agent.get("/backups/" + slug + "/info").data();
      assertTrue(info.get("name").asText().startsWith("Automatic backup "), info.toString());
      // Protected with the backup key, as Home Assistant's automatic backups are since 2025.1.
      assertTrue(info.get("protected").asBoolean(), info.toString());
      Secret key = new Secret.Password(new BackupKeys(agent.config, Clock.systemUTC()).current()
          .value());
      try (BackupArchive archive = BackupArchive.open(agent.config.backupDir()
          .resolve(slug + ".tar"))) {
        for (Part part : archive.parts()) {
          assertTrue(archive.isEncrypted(part), part.toString());
        }
        assertThrows(ArchiveException.PasswordRequired.class,
            () -> Verifier.verify(archive, Optional.empty()));
        assertTrue(Verifier.verify(archive, Optional.of(key)).intact(), "opens with the key");
      }
      while (!agent.daemon.daemon().nextScheduledBackup().isPresent()
          || !agent.daemon.daemon().nextScheduledBackup().get().isAfter(java.time.Instant.now())) {
        Thread.sleep(20); // the timer plans the next day's run once this one ended
      }
    }
  }

  @Test
  void aTakenJobLockPostponesTheScheduledBackupUntilItIsFree() throws Exception {
    Config c = scheduledAt(config(), secondsAhead(15));
    JobLock held = JobLock.acquire(c.backupDir(), "job 0123 (a command beside the agent)");
    boolean released = false;
    try (RunningAgent agent = new RunningAgent(c, Duration.ofMillis(200))) {
      while (agent.daemon.daemon().nextScheduledBackup().isEmpty()) {
        Thread.sleep(20);
      }
      java.time.Instant due = agent.daemon.daemon().nextScheduledBackup().get();
      while (java.time.Instant.now().isBefore(due.plusSeconds(1))) {
        Thread.sleep(50);
      }
      assertEquals(List.of(), slugs(agent), "nothing runs while the lock is taken");
      held.close();
      released = true;
      JsonNode job = awaitJob(agent, Daemon.SCHEDULED_JOB);
      assertEquals(0, job.get("errors").size(), job.toString());
      assertEquals(List.of(job.get("reference").asText()), slugs(agent));
    } finally {
      if (!released) {
        held.close();
      }
    }
  }

  @Test
  void noScheduleMeansNoTimer() throws Exception {
    try (RunningAgent agent = new RunningAgent(config())) {
      assertFalse(agent.daemon.daemon().scheduleRuns());
      assertEquals(Optional.empty(), agent.daemon.daemon().nextScheduledBackup());
      assertFalse(Thread.getAllStackTraces().keySet().stream()
          .anyMatch(t -> t.getName().equals("haven-schedule") && t.isAlive()));
    }
  }

  @Test
  void statusLedShowsIdleWorkingErrorUntilASuccessAndOffAfterStop() throws Exception {
    Path gate = tmp.resolve("gate");
    // A cold backup of Home Assistant stops it first; this stop command waits for the test.
    String stop = "touch " + gate.resolve("stopping") + "; while [ ! -e " + gate.resolve("go")
        + " ]; do sleep 0.05; done";
    Files.createDirectories(gate);
    Config c = withSysfsLed(config()).withServices(new Services(List.of(new Service(
        Service.HOME_ASSISTANT, Optional.of(stop), Optional.of("true"), Optional.empty(),
        Optional.empty(), Duration.ofSeconds(50), true))));
    RunningAgent agent = new RunningAgent(c);
    try (agent) {
      assertEquals("idle", ledShows());

      String job = agent.post("/backups/new/partial",
          "{\"homeassistant\":true,\"background\":true}").data().get("job_id").asText();
      while (!Files.exists(gate.resolve("stopping"))) {
        Thread.sleep(20);
      }
      assertEquals("working", ledShows());
      Files.createFile(gate.resolve("go"));
      JsonNode done = agent.get("/jobs/" + job).data();
      while (!done.get("done").asBoolean()) {
        Thread.sleep(20);
        done = agent.get("/jobs/" + job).data();
      }
      assertEquals(0, done.get("errors").size(), done.toString());
      assertEquals("idle", ledShows());

      String slug = done.get("reference").asText();
      RunningAgent.Answer failed = agent.post("/backups/" + slug + "/restore/partial",
          "{\"folders\":[\"media\"]}");
      assertEquals(404, failed.status(), failed.body().toString());
      assertEquals("error", ledShows(), "a failed job leaves the LED showing an error");

      agent.post("/backups/new/partial", "{\"folders\":[\"share\"]}");
      assertEquals("idle", ledShows(), "the next success clears it");
    }
    assertEquals("off", ledShows());
    assertEquals("mmc0", led("trigger"), "the kernel's own trigger is given back");
  }
}
