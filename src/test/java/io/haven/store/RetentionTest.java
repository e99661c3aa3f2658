package io.haven.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Home Assistant's retention rules and generations on fixed dates. */
class RetentionTest {
  static final Instant NOW = Instant.parse("2025-03-31T12:00:00Z");

  static Retention.Candidate auto(String slug, int daysAgo) {
    return new Retention.Candidate(slug, NOW.minus(Duration.ofDays(daysAgo)), true);
  }

  static Retention.Candidate manual(String slug, int daysAgo) {
    return new Retention.Candidate(slug, NOW.minus(Duration.ofDays(daysAgo)), false);
  }

  static List<String> slugs(List<Retention.Candidate> candidates) {
    return candidates.stream().map(Retention.Candidate::slug).toList();
  }

  @Test
  void copiesKeepsTheNewestAutomaticOnesAndNeverManualOnes() {
    List<Retention.Candidate> all = new ArrayList<>();
    for (int d = 0; d < 30; d++) {
      all.add(auto("a" + d, d));
    }
    all.add(manual("m40", 40));
    Retention keep3 = new Retention(Optional.of(3), Optional.empty());
    List<String> deleted = slugs(keep3.toDelete(all, NOW));
    assertEquals(27, deleted.size());
    assertEquals("a29", deleted.get(0), "oldest first");
    assertEquals(List.of(), deleted.stream().filter(s -> List.of("a0", "a1", "a2", "m40")
        .contains(s)).toList());
  }

  @Test
  void daysDeletesAutomaticOnesOlderThanThat() {
    List<Retention.Candidate> all = List.of(auto("a1", 1), auto("a6", 6), auto("a8", 8),
        manual("m20", 20));
    Retention week = new Retention(Optional.empty(), Optional.of(7));
    assertEquals(List.of("a8"), slugs(week.toDelete(all, NOW)));
  }

  @Test
  void bothRulesApply() {
    List<Retention.Candidate> all = List.of(auto("a1", 1), auto("a2", 2), auto("a3", 3),
        auto("a10", 10));
    Retention r = new Retention(Optional.of(3), Optional.of(2));
    assertEquals(List.of("a10", "a3"), slugs(r.toDelete(all, NOW)));
  }

  @Test
  void theLastBackupOfAPlaceIsNeverDeleted() {
    List<Retention.Candidate> all = List.of(auto("a20", 20), auto("a30", 30));
    Retention week = new Retention(Optional.empty(), Optional.of(7));
    assertEquals(List.of("a30"), slugs(week.toDelete(all, NOW)), "a20, the newest, stays");
    assertEquals(List.of(), slugs(week.toDelete(List.of(auto("a9", 9)), NOW)));
  }

  @Test
  void emptyRetentionKeepsEverything() {
    assertEquals(List.of(), Retention.FOREVER.toDelete(List.of(auto("a1", 100), auto("a2", 200)),
        NOW));
  }

  /** A year of daily 04:45 backups up to NOW, named by their date, and one manual backup. */
  static List<Retention.Candidate> aYearOfDailyBackups() {
    List<Retention.Candidate> all = new ArrayList<>();
    for (LocalDate d = LocalDate.of(2024, 4, 1); !d.isAfter(LocalDate.of(2025, 3, 31));
        d = d.plusDays(1)) {
      all.add(new Retention.Candidate(d.toString(), d.atTime(4, 45).toInstant(ZoneOffset.UTC),
          true));
    }
    all.add(new Retention.Candidate("manual", Instant.parse("2024-06-15T10:00:00Z"), false));
    return all;
  }

  @Test
  void generationsKeepTheNewestOfEachDayWeekMonthAndYear() {
    List<Retention.Candidate> all = aYearOfDailyBackups();
    Retention gfs = new Retention(Optional.empty(), Optional.empty(),
        new Retention.Generations(7, 4, 6, 2));
    Set<String> deleted = new HashSet<>(slugs(gfs.toDelete(all, NOW)));
    List<String> survivors = all.stream().map(Retention.Candidate::slug)
        .filter(s -> !deleted.contains(s)).sorted().toList();
    assertEquals(List.of(
        "2024-10-31", "2024-11-30", "2024-12-31", // months (2024-12-31 is also 2024's newest)
        "2025-01-31", "2025-02-28", // months
        "2025-03-16", "2025-03-23", // ISO weeks 11 and 12 (weeks 13 and 14 end in the daily ones)
        "2025-03-25", "2025-03-26", "2025-03-27", "2025-03-28", "2025-03-29", "2025-03-30",
        "2025-03-31", // the last 7 days, 2025-03-31 also this week's, month's and year's newest
        "manual"), survivors);
  }

  @Test
  void generationsOutliveDaysAndAddToCopies() {
    List<Retention.Candidate> all = aYearOfDailyBackups();
    Retention r = new Retention(Optional.of(3), Optional.of(2),
        new Retention.Generations(0, 0, 0, 2));
    Set<String> deleted = new HashSet<>(slugs(r.toDelete(all, NOW)));
    assertEquals(List.of("2024-12-31", "2025-03-30", "2025-03-31", "manual"),
        all.stream().map(Retention.Candidate::slug).filter(s -> !deleted.contains(s)).sorted()
            .toList(), "copies 3 within 2 days, and each year's newest past those days");
  }

  @Test
  void theNewestGoodBackupStaysWhenNewerOnesFailedVerification() {
    List<Retention.Candidate> all = List.of(
        new Retention.Candidate("bad0", NOW, true, Retention.Verified.BAD),
        new Retention.Candidate("bad1", NOW.minus(Duration.ofDays(1)), true,
            Retention.Verified.BAD),
        new Retention.Candidate("good2", NOW.minus(Duration.ofDays(2)), true,
            Retention.Verified.GOOD),
        new Retention.Candidate("good3", NOW.minus(Duration.ofDays(3)), true,
            Retention.Verified.GOOD));
    Retention keep1 = new Retention(Optional.of(1), Optional.empty());
    assertEquals(List.of("good3", "bad1"), slugs(keep1.toDelete(all, NOW)),
        "bad0 by copies, good2 as the newest good one");
  }
}
