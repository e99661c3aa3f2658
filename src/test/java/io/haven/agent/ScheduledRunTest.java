package io.haven.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.archive.ArchiveException;
import io.haven.archive.BackupArchive;
import io.haven.archive.Compression;
import io.haven.archive.HavenFacts;
import io.haven.archive.Part;
import io.haven.archive.PartInput;
import io.haven.archive.Secret;
import io.haven.archive.Verifier;
import io.haven.archive.SecureTar;
import io.haven.backup.BackupRequest;
import io.haven.config.Config;
import io.haven.testing.TestClock;
import io.haven.config.Offsite;
import io.haven.config.Service;
import io.haven.config.Services;
import io.haven.config.Offsite.Recurrence;
import io.haven.location.LocationRegistry;
import io.haven.location.LocationSpec;
import io.haven.store.AutomaticBackups;
import io.haven.store.OffsiteCopies;
import io.haven.store.StoredBackup;
import io.haven.tree.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import io.haven.device.ThreadPriority;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scheduled cycles on a fixed clock, one day apart, into the backup dir and a directory location. */
class ScheduledRunTest {
  @TempDir Path tmp;
  final TestClock clock = new TestClock(Instant.parse("2025-03-03T04:45:00Z"));

  @Test
  void cyclesBackUpCopyAndKeepTheNewestAutomaticBackupsOnly() throws Exception {
    Files.createDirectories(tmp.resolve("root").resolve("share"));
    Files.writeString(tmp.resolve("root").resolve("share").resolve("a.txt"), "hello");
    Offsite offsite = new Offsite(tmp.resolve("locations.yaml"),
        new Offsite.ScheduleSettings(Recurrence.DAILY, Optional.of(LocalTime.of(4, 45)), Set.of()),
        new Offsite.RetentionSettings(Optional.of(2), Optional.empty()),
        Map.of("usb", new Offsite.LocationSettings(Optional.empty(), Optional.of(
            new Offsite.RetentionSettings(Optional.of(3), Optional.empty())))));
    Config config = new Config(tmp.resolve("root"), tmp.resolve("backup"), Compression.ZSTD, 1)
        .withOffsite(offsite);
    new LocationRegistry(config.locationsFile()).add(LocationSpec.of("usb",
        tmp.resolve("usb").toUri().toString()));
    Backups backups = new Backups(config, clock, "test");
    OffsiteBackups offsiteBackups = new OffsiteBackups(config, backups, clock);
    ScheduledRun scheduled = new ScheduledRun(config, offsiteBackups, clock,
        new SplittableRandom(1), "test");

    clock.advance(Duration.ofHours(1).negated());
    String manual = backups.create(new BackupRequest("by hand", List.of(), Optional.empty(),
        Compression.ZSTD, SecureTar.Version.V3, false, Optional.empty()), Progress.NONE)
        .metadata().slug();
    assertEquals(Optional.of(clock.instant().plus(Duration.ofHours(1))),
        scheduled.nextRun().map(t -> t.toInstant()));
    assertEquals(List.of(), scheduled.run().due(), "nothing due before 04:45");

    clock.advance(Duration.ofHours(1));
    for (int day = 0; day < 5; day++) {
      ScheduledRun.Result r = scheduled.run();
      assertTrue(r.ok(), r.failures().toString());
      assertEquals(List.of(Place.LOCAL, Place.of("usb")), r.due());
      assertEquals(Optional.of(clock.instant().plus(Duration.ofDays(1))),
          scheduled.nextRun().map(t -> t.toInstant()));
      assertEquals(List.of(), scheduled.run().due(), "a cycle runs once per slot");
      clock.advance(Duration.ofDays(1));
    }

    List<StoredBackup> local = backups.list().backups();
    assertEquals(3, local.size(), "two automatic and the manual one");
    assertTrue(local.stream().anyMatch(b -> b.slug().equals(manual)));
    assertEquals(List.of("2025-03-07", "2025-03-06"), local.stream()
        .filter(b -> !b.slug().equals(manual)).map(b -> b.metadata().date().substring(0, 10))
        .toList());
    List<OffsiteCopies.RemoteBackup> remote = offsiteBackups.list("usb").backups();
    assertEquals(List.of("2025-03-07", "2025-03-06", "2025-03-05"), remote.stream()
        .map(b -> b.metadata().date().substring(0, 10)).toList(), "usb keeps three");
    assertTrue(offsiteBackups.prune(true).deleted().isEmpty(), "nothing more to prune");
  }

  @Test
  void aLowPriorityScheduleRunsItsBackupNiced() throws Exception {
    Files.createDirectories(tmp.resolve("root").resolve("share"));
    Files.writeString(tmp.resolve("root").resolve("share").resolve("a.txt"), "hello");
    Offsite offsite = new Offsite(tmp.resolve("locations.yaml"), new Offsite.ScheduleSettings(
        Recurrence.DAILY, Optional.of(LocalTime.of(4, 45)), Set.of(), true),
        Offsite.RetentionSettings.FOREVER, Map.of());
    Config config = new Config(tmp.resolve("root"), tmp.resolve("backup"), Compression.ZSTD, 1)
        .withOffsite(offsite);
    Backups backups = new Backups(config, clock, "test");
    ScheduledRun scheduled = new ScheduledRun(config, new OffsiteBackups(config, backups, clock),
        clock, new SplittableRandom(1), "test");
    clock.advance(Duration.ofHours(1).negated());
    scheduled.nextRun(); // the 04:45 slot is due from here
    clock.advance(Duration.ofHours(1));
    AtomicInteger niceWhileWriting = new AtomicInteger(Integer.MIN_VALUE);
    Progress watch = new Progress() {
      @Override
      public void stage(String stage) {
        niceWhileWriting.set(niceOfThisThread());
      }
    };
    Thread job = new Thread(() -> { // as the agent runs a cycle: on a thread of its own
      try (Backups.Session session = backups.open("job test (scheduled)")) {
        assertTrue(scheduled.run(session, watch).backup().isPresent());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    job.start();
    job.join();
    assertEquals(ThreadPriority.LOW_NICE, niceWhileWriting.get());
    assertEquals(0, niceOfThisThread(), "the rest of the process keeps its priority");
  }

  @Test
  void theScheduledBackupIsProtectedWithTheKeyLeavesOutTheExcludesAndStopsColdAddons() throws Exception {
    Path root = tmp.resolve("root");
    Files.createDirectories(root.resolve("share/clips"));
    Files.writeString(root.resolve("share/a.txt"), "hello");
    Files.writeString(root.resolve("share/clips/front.mp4"), "video");
    Offsite offsite = new Offsite(tmp.resolve("locations.yaml"), new Offsite.ScheduleSettings(
        Recurrence.DAILY, Optional.of(LocalTime.of(4, 45)), Set.of()),
        Offsite.RetentionSettings.FOREVER, Map.of());
    Files.createDirectories(root.resolve("addons/data/core_mosquitto"));
    Files.writeString(root.resolve("addons/data/core_mosquitto/mosquitto.db"), "retained");
    Path events = tmp.resolve("events");
    Services cold = new Services(List.of(new Service("core_mosquitto",
        Optional.of("echo stop >> " + events), Optional.of("echo start >> " + events),
        Optional.empty(), Optional.empty(), Duration.ofSeconds(10), true)));
    Config config = new Config(root, tmp.resolve("backup"), Compression.ZSTD, 1)
        .withOffsite(offsite).toBuilder().excludes(List.of("share/clips/**")).services(cold)
        .build();
    Backups backups = new Backups(config, clock, "test");
    OffsiteBackups offsiteBackups = new OffsiteBackups(config, backups, clock);
    ScheduledRun scheduled = new ScheduledRun(config, offsiteBackups, clock,
        new SplittableRandom(1), "test");
    clock.advance(Duration.ofHours(1).negated());
    scheduled.nextRun();
    clock.advance(Duration.ofHours(1));

    String slug = scheduled.run().backup().orElseThrow();
    assertEquals(List.of("stop", "start"), Files.readAllLines(events),
        "a cold add-on is stopped for the automatic backup as for any other");
    StoredBackup made = backups.info(slug);
    assertTrue(made.metadata().isProtected());
    assertTrue(AutomaticBackups.isAutomatic(made.metadata(), offsiteBackups.instanceId()));
    try (BackupArchive archive = BackupArchive.open(made.file())) {
      HavenFacts haven = archive.metadata().orElseThrow().haven().orElseThrow();
      assertEquals(List.of("share/clips/**"), haven.excludes());
      assertEquals("securetar-v3", haven.encryption());
      assertTrue(haven.source().has("disk_total"), "the device's facts, as for any backup");
      assertThrows(ArchiveException.PasswordRequired.class,
          () -> Verifier.verify(archive, Optional.empty()));
      Optional<Secret> key = Optional.of(backups.keys().password());
      assertTrue(Verifier.verify(archive, key).intact(), "opens with the key");
      List<String> names = new ArrayList<>();
      try (PartInput in = archive.openPart(Part.folder("share"), key)) {
        for (var e = in.nextEntry(); e.isPresent(); e = in.nextEntry()) {
          names.add(e.get().getName());
        }
      }
      assertTrue(names.stream().anyMatch(n -> n.endsWith("a.txt")), names.toString());
      assertTrue(names.stream().noneMatch(n -> n.contains("front.mp4")), names.toString());
    }
  }

  private static int niceOfThisThread() {
    try {
      String stat = Files.readString(Path.of("/proc/thread-self/stat"));
      return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
