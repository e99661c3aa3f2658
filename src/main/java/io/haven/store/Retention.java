package io.haven.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Home Assistant's retention (FORMAT.md section 8), for one place that holds backups: only
 * automatic backups are ever deleted; of those the newest {@code copies} are kept and any older
 * than {@code days} go; and the last backup of a place is never deleted, whatever its type. Both
 * values empty keeps everything.
 */
public record Retention(Optional<Integer> copies, Optional<Integer> days) {
  public static final Retention FOREVER = new Retention(Optional.empty(), Optional.empty());

  public Retention {
    if (copies.orElse(1) < 1 || days.orElse(1) < 1) {
      throw new IllegalArgumentException("retention copies and days must be at least 1");
    }
  }

  /** A backup as retention sees it: when it was made and whether the schedule made it. */
  public record Candidate(String slug, Instant date, boolean automatic) {}

  /**
   * The backups of one place to delete at {@code now}, oldest first; {@code all} is every backup
   * that place holds, in any order.
   */
  public List<Candidate> toDelete(List<Candidate> all, Instant now) {
    List<Candidate> automatic = new ArrayList<>(all.stream().filter(Candidate::automatic)
        .sorted(Comparator.comparing(Candidate::date).reversed()).toList());
    Set<Candidate> delete = new LinkedHashSet<>();
    copies.ifPresent(n -> delete.addAll(automatic.subList(Math.min(n, automatic.size()),
        automatic.size())));
    days.ifPresent(d -> automatic.stream()
        .filter(c -> c.date().isBefore(now.minus(Duration.ofDays(d)))).forEach(delete::add));
    List<Candidate> result = new ArrayList<>(delete);
    result.sort(Comparator.comparing(Candidate::date));
    if (!result.isEmpty() && result.size() == all.size()) {
      // Never leave a place empty: the newest backup stays even when it is past its time.
      result.remove(result.size() - 1);
    }
    return List.copyOf(result);
  }
}
