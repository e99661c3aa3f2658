package io.haven.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Home Assistant's retention rules on fixed dates. */
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
}
