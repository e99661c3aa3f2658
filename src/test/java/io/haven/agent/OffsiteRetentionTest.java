package io.haven.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.archive.Compression;
import io.haven.config.Config;
import io.haven.testing.Damage;
import io.haven.testing.TestClock;
import io.haven.config.Offsite;
import io.haven.location.LocationRegistry;
import io.haven.location.LocationSpec;
import io.haven.store.Retention;
import io.haven.store.StoredBackup;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention through {@link OffsiteBackups#prune} on real archives in a backup directory and a
 * directory location, made on a clock the test moves: verify outcomes decide which backup is the
 * newest good one, and generations over a month of daily backups.
 */
class OffsiteRetentionTest {
  @TempDir Path tmp;
  final TestClock clock = new TestClock(Instant.parse("2025-01-15T04:45:00Z"));

  @Test
  void aNewestBackupThatVerifiedBadDoesNotCostTheOlderGoodOne() throws Exception {
    Config config = config(new Offsite.RetentionSettings(Optional.of(1), Optional.empty()));
    // Copied as they are (a damaged backup is never encrypted for a copy): this is about which
    // copies retention keeps.
    new LocationRegistry(config.locationsFile()).add(LocationSpec.of("usb",
        tmp.resolve("usb").toUri().toString()).withOption(OffsiteBackups.ENCRYPT, "false"));
    Backups backups = new Backups(config, clock, "test");
    OffsiteBackups offsite = new OffsiteBackups(config, backups, clock);
    String oldest = daily(config, offsite);
    String middle = daily(config, offsite);
    String newest = daily(config, offsite);
    assertTrue(backups.verify(oldest, Optional.empty()).intact());
    assertTrue(backups.verify(middle, Optional.empty()).intact());
    Damage.flipMiddleByte(backups.info(newest).file());
    assertFalse(backups.verify(newest, Optional.empty()).intact());
    assertEquals(Retention.Verified.BAD, backups.verifications().of(backups.info(newest)));
    assertEquals(Retention.Verified.GOOD, backups.verifications().of(backups.info(middle)));
    for (String slug : List.of(oldest, middle, newest)) {
      assertTrue(offsite.copy(slug, List.of("usb")).get(0).failure().isEmpty());
    }

    List<OffsiteBackups.Pruned> wouldGo = offsite.prune(true).deleted();
    assertEquals(List.of(".local " + oldest, "usb " + oldest), wouldGo.stream()
        .map(p -> p.place().key() + " " + p.slug()).toList(),
        "copies=1 keeps the newest, and the newest good one, here and at usb");
    assertEquals(3, backups.list().backups().size(), "a dry run deletes nothing");

    offsite.prune(false);
    assertEquals(List.of(newest, middle), backups.list().backups().stream()
        .map(StoredBackup::slug).toList());
    assertEquals(List.of(newest, middle), offsite.list("usb").backups().stream()
        .map(b -> b.slug()).toList());
  }

  @Test
  void gfsRetentionOverAMonthOfDailyBackupsKeepsSevenDailyFourWeeklyAndTheMonthlies()
      throws Exception {
    Config config = config(new Offsite.RetentionSettings(Optional.empty(), Optional.empty(),
        7, 4, 12, 0));
    Backups backups = new Backups(config, clock, "test");
    OffsiteBackups offsite = new OffsiteBackups(config, backups, clock);
    for (int day = 0; day < 31; day++) {
      daily(config, offsite); // 2025-01-15 to 2025-02-14
    }
    List<String> deleted = offsite.prune(false).deleted().stream()
        .map(p -> p.date().substring(0, 10)).toList();
    List<String> kept = backups.list().backups().stream()
        .map(b -> b.metadata().date().substring(0, 10)).toList();
    System.out.println("GFS over 31 daily backups kept " + kept);
    assertEquals(List.of(
        "2025-02-14", "2025-02-13", "2025-02-12", "2025-02-11", "2025-02-10", "2025-02-09",
        "2025-02-08", // daily 7; 02-14 is also week 7's and February's, 02-09 week 6's
        "2025-02-02", // week 5 (Mon 01-27 to Sun 02-02)
        "2025-01-31", // January
        "2025-01-26"), // week 4
        kept);
    assertEquals(21, deleted.size());
    assertTrue(offsite.prune(true).deleted().isEmpty(), "a second run finds nothing more");
  }

  private Config config(Offsite.RetentionSettings retention) throws Exception {
    Path share = Files.createDirectories(tmp.resolve("root").resolve("share"));
    // Incompressible bytes, so a flipped byte lands in a part's data, not in tar headers.
    byte[] noise = new byte[256 * 1024];
    new SplittableRandom(7).nextBytes(noise);
    try (OutputStream out = Files.newOutputStream(share.resolve("noise.bin"))) {
      out.write(noise);
    }
    return new Config(tmp.resolve("root"), tmp.resolve("backup"), Compression.ZSTD, 1)
        .withOffsite(new Offsite(tmp.resolve("locations.yaml"), Offsite.ScheduleSettings.NEVER,
            retention, Map.of()));
  }

  /** An automatic backup at the clock's time; the clock then moves on a day. */
  private String daily(Config config, OffsiteBackups offsite) throws Exception {
    ScheduledRun run = new ScheduledRun(config, offsite, clock, new SplittableRandom(1), "test");
    String slug = run.createAutomatic(clock.instant()).metadata().slug();
    clock.advance(Duration.ofDays(1));
    return slug;
  }

}
