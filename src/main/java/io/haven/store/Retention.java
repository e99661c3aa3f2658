package io.haven.store;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Home Assistant's retention (FORMAT.md section 8), for one place that holds backups, with
 * generations on top. Only automatic backups are ever deleted. Of those:
 *
 * <ul>
 *   <li>{@code copies}: the newest N are kept;
 *   <li>{@code generations}: the newest backup of each of the last N days, ISO weeks, months and
 *       years that have a backup is kept (calendar periods in UTC);
 *   <li>with either rule set, an automatic backup neither rule keeps goes;
 *   <li>{@code days}: an automatic backup older than that goes, unless a generation keeps it.
 * </ul>
 *
 * <p>Whatever the rules say, the newest backup that verified good is never deleted (when no backup
 * is known to be good, the newest backup is kept instead), and the last backup of a place stays.
 * No rule set keeps everything.
 */
public record Retention(Optional<Integer> copies, Optional<Integer> days,
    Generations generations) {
  public static final Retention FOREVER =
      new Retention(Optional.empty(), Optional.empty(), Generations.NONE);

  public Retention {
    if (copies.orElse(1) < 1 || days.orElse(1) < 1) {
      throw new IllegalArgumentException("retention copies and days must be at least 1");
    }
  }

  /** Copies and days only, as Home Assistant has them. */
  public Retention(Optional<Integer> copies, Optional<Integer> days) {
    this(copies, days, Generations.NONE);
  }

  /** How many days, weeks, months and years keep their newest backup; 0 is no such rule. */
  public record Generations(int daily, int weekly, int monthly, int yearly) {
    public static final Generations NONE = new Generations(0, 0, 0, 0);

    public Generations {
      if (daily < 0 || weekly < 0 || monthly < 0 || yearly < 0) {
        throw new IllegalArgumentException("retention daily, weekly, monthly and yearly must not"
            + " be negative");
      }
    }

    boolean any() {
      return daily + weekly + monthly + yearly > 0;
    }
  }

  /** Whether a backup was checked, and with what result. */
  public enum Verified { GOOD, BAD, UNKNOWN }

  /** A backup as retention sees it: when it was made and whether the schedule made it. */
  public record Candidate(String slug, Instant date, boolean automatic, Verified verified) {
    public Candidate(String slug, Instant date, boolean automatic) {
      this(slug, date, automatic, Verified.UNKNOWN);
    }
  }

  /**
   * The backups of one place to delete at {@code now}, oldest first; {@code all} is every backup
   * that place holds, in any order.
   */
  public List<Candidate> toDelete(List<Candidate> all, Instant now) {
    List<Candidate> newestFirst = all.stream()
        .sorted(Comparator.comparing(Candidate::date).reversed()).toList();
    List<Candidate> automatic = newestFirst.stream().filter(Candidate::automatic).toList();
    Set<Candidate> generationKept = generationsKept(automatic);
    Set<Candidate> delete = new LinkedHashSet<>();
    if (copies.isPresent() || generations.any()) {
      Set<Candidate> kept = new HashSet<>(generationKept);
      kept.addAll(automatic.subList(0, Math.min(copies.orElse(0), automatic.size())));
      automatic.stream().filter(c -> !kept.contains(c)).forEach(delete::add);
    }
    days.ifPresent(d -> automatic.stream()
        .filter(c -> c.date().isBefore(now.minus(Duration.ofDays(d))))
        .filter(c -> !generationKept.contains(c)).forEach(delete::add));
    // The newest good backup stays; without one known to be good, the newest backup does.
    newestFirst.stream().filter(c -> c.verified() == Verified.GOOD).findFirst()
        .or(() -> newestFirst.stream().findFirst()).ifPresent(delete::remove);
    List<Candidate> result = new ArrayList<>(delete);
    result.sort(Comparator.comparing(Candidate::date));
    return List.copyOf(result);
  }

  private Set<Candidate> generationsKept(List<Candidate> newestFirst) {
    Set<Candidate> kept = new HashSet<>();
    kept.addAll(newestPer(newestFirst, generations.daily(), t -> t.toLocalDate()));
    kept.addAll(newestPer(newestFirst, generations.weekly(),
        t -> t.get(IsoFields.WEEK_BASED_YEAR) * 100 + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
    kept.addAll(newestPer(newestFirst, generations.monthly(),
        t -> t.getYear() * 100 + t.getMonthValue()));
    kept.addAll(newestPer(newestFirst, generations.yearly(), ZonedDateTime::getYear));
    return kept;
  }

  // The first (newest) backup of each of the first n distinct periods, walking newest first.
  private static List<Candidate> newestPer(List<Candidate> newestFirst, int n,
      Function<ZonedDateTime, Object> period) {
    List<Candidate> picked = new ArrayList<>();
    Set<Object> seen = new HashSet<>();
    for (Candidate c : newestFirst) {
      if (seen.size() >= n) {
        break;
      }
      if (seen.add(period.apply(c.date().atZone(ZoneOffset.UTC)))) {
        picked.add(c);
      }
    }
    return picked;
  }
}
