package io.haven.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Offsite settings: where the locations file is, and when automatic backups run and how many are
 * kept, globally and per location (Home Assistant's schedule and retention, FORMAT.md section 8):
 *
 * <pre>
 * locations_file: /etc/haven/locations.yaml
 * schedule: {time: "04:45", days: [mon, thu]}     # no time: 04:45 plus up to an hour of jitter
 *                                                 # priority: low gives way to Home Assistant
 * retention: {copies: 7, days: 30}                # or generations: {daily: 7, weekly: 4,
 *                                                 #   monthly: 12, yearly: 3}
 * location_overrides:                             # once called locations:, still read
 *   s3: {schedule: {days: [sun]}, retention: {copies: 4}}
 * </pre>
 *
 * A location's own schedule or retention replaces the global one for that location.
 *
 * @param locationsFile the 0600 file holding the named locations and their secrets
 * @param schedule when automatic backups run; {@link Recurrence#NEVER} when none is configured
 * @param retention which automatic backups are kept, locally and where no override applies
 * @param locations per-location overrides, by location name
 * @param content what automatic backups hold ({@code automatic_content:}); everything by default
 */
public record Offsite(Path locationsFile, ScheduleSettings schedule, RetentionSettings retention,
    Map<String, LocationSettings> locations, Content content) {

  public Offsite {
    locations = Map.copyOf(locations);
    content = content == null ? Content.EVERYTHING : content;
  }

  /** As the canonical constructor, with automatic backups of everything. */
  public Offsite(Path locationsFile, ScheduleSettings schedule, RetentionSettings retention,
      Map<String, LocationSettings> locations) {
    this(locationsFile, schedule, retention, locations, Content.EVERYTHING);
  }

  /**
   * What an automatic backup holds, as Home Assistant's automatic backup settings choose it:
   * Home Assistant always; its history (the database) unless left out; the folders chosen (all
   * when empty); all add-ons, or only the chosen ones.
   *
   * <pre>
   * automatic_content: {database: false, folders: [share, ssl], addons: [core_mosquitto]}
   * </pre>
   */
  public record Content(boolean database, Optional<List<String>> folders,
      Optional<List<String>> addons) {
    public static final Content EVERYTHING = new Content(true, Optional.empty(), Optional.empty());

    public Content {
      folders = folders.map(List::copyOf);
      addons = addons.map(List::copyOf);
    }

    /** True when nothing is left out, so the automatic backup is a full one. */
    public boolean everything() {
      return database && folders.isEmpty() && addons.isEmpty();
    }
  }

  record ContentShape(@JsonProperty("database") Boolean database,
      @JsonProperty("folders") Object folders, @JsonProperty("addons") Object addons) {}

  /** No schedule, keep everything, locations file at {@code locationsFile}. */
  public static Offsite none(Path locationsFile) {
    return new Offsite(locationsFile, ScheduleSettings.NEVER, RetentionSettings.FOREVER, Map.of());
  }

  /** The schedule that applies to {@code location}: its own, else the global one. */
  public ScheduleSettings scheduleOf(String location) {
    return Optional.ofNullable(locations.get(location)).flatMap(LocationSettings::schedule)
        .orElse(schedule);
  }

  /** The retention that applies to {@code location}: its own, else the global one. */
  public RetentionSettings retentionOf(String location) {
    return Optional.ofNullable(locations.get(location)).flatMap(LocationSettings::retention)
        .orElse(retention);
  }

  Offsite withLocationsFile(Path file) {
    return new Offsite(file, schedule, retention, locations, content);
  }

  Offsite withContent(ContentShape c) {
    if (c == null) {
      return this;
    }
    return new Offsite(locationsFile, schedule, retention, locations, new Content(
        c.database() == null || c.database(), listOrAll("folders", c.folders()),
        listOrAll("addons", c.addons())));
  }

  // "all" (or no key) is everything; else a list of names.
  private static Optional<List<String>> listOrAll(String key, Object value) {
    if (value == null || "all".equals(value)) {
      return Optional.empty();
    }
    if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
      return Optional.of(list.stream().map(String.class::cast).toList());
    }
    throw new IllegalArgumentException("automatic_content." + key + " must be all or a list of"
        + " names, such as [share, media]");
  }

  /** Home Assistant's recurrences: never, every day, or chosen weekdays. */
  public enum Recurrence { NEVER, DAILY, CUSTOM_DAYS }

  /**
   * When automatic backups run.
   *
   * @param time the local time of day; empty means 04:45 with a random jitter of up to an hour
   * @param days the weekdays for {@link Recurrence#CUSTOM_DAYS}; empty otherwise
   * @param lowPriority whether automatic backups run at a low CPU priority (nice), so that Home
   *     Assistant stays responsive while they run; set in the global schedule only
   */
  public record ScheduleSettings(Recurrence recurrence, Optional<LocalTime> time,
      Set<DayOfWeek> days, boolean lowPriority) {
    public static final ScheduleSettings NEVER =
        new ScheduleSettings(Recurrence.NEVER, Optional.empty(), Set.of());

    /** At normal priority. */
    public ScheduleSettings(Recurrence recurrence, Optional<LocalTime> time, Set<DayOfWeek> days) {
      this(recurrence, time, days, false);
    }

    public ScheduleSettings {
      days = days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
      if (recurrence == Recurrence.CUSTOM_DAYS && days.isEmpty()) {
        throw new IllegalArgumentException("schedule recurrence custom_days needs days, such as"
            + " days: [mon, thu]");
      }
      if (recurrence != Recurrence.CUSTOM_DAYS && !days.isEmpty()) {
        throw new IllegalArgumentException("schedule days are only for recurrence custom_days");
      }
    }
  }

  /**
   * How many automatic backups are kept: the newest {@code copies}, none older than {@code days},
   * and generations: the newest backup of each of the last {@code daily} days, {@code weekly}
   * weeks, {@code monthly} months and {@code yearly} years (0 is no such rule; a generation
   * outlives {@code days}). Nothing set means keep forever. Copies and days are at least 1, as in
   * Home Assistant.
   */
  public record RetentionSettings(Optional<Integer> copies, Optional<Integer> days, int daily,
      int weekly, int monthly, int yearly) {
    public static final RetentionSettings FOREVER =
        new RetentionSettings(Optional.empty(), Optional.empty());

    public RetentionSettings {
      if (copies.isPresent() && copies.get() < 1) {
        throw new IllegalArgumentException("retention copies must be at least 1, not "
            + copies.get());
      }
      if (days.isPresent() && days.get() < 1) {
        throw new IllegalArgumentException("retention days must be at least 1, not "
            + days.get());
      }
      if (daily < 0 || weekly < 0 || monthly < 0 || yearly < 0) {
        throw new IllegalArgumentException("retention daily, weekly, monthly and yearly must not"
            + " be negative");
      }
    }

    /** Copies and days only, without generations. */
    public RetentionSettings(Optional<Integer> copies, Optional<Integer> days) {
      this(copies, days, 0, 0, 0, 0);
    }
  }

  /** One location's overrides; empty means the global setting applies. */
  public record LocationSettings(Optional<ScheduleSettings> schedule,
      Optional<RetentionSettings> retention) {}

  // The YAML shapes; every key optional, unknown keys rejected by Config's reader.

  record ScheduleShape(@JsonProperty("recurrence") String recurrence,
      @JsonProperty("time") String time, @JsonProperty("days") List<String> days,
      @JsonProperty("priority") String priority) {}

  record RetentionShape(@JsonProperty("copies") Integer copies,
      @JsonProperty("days") Integer days, @JsonProperty("daily") Integer daily,
      @JsonProperty("weekly") Integer weekly, @JsonProperty("monthly") Integer monthly,
      @JsonProperty("yearly") Integer yearly) {}

  record LocationShape(@JsonProperty("schedule") ScheduleShape schedule,
      @JsonProperty("retention") RetentionShape retention) {}

  /** Applies the file's keys over these settings. */
  Offsite with(ScheduleShape s, RetentionShape r, Map<String, LocationShape> perLocation) {
    Map<String, LocationSettings> merged = new TreeMap<>(locations);
    if (perLocation != null) {
      perLocation.forEach((name, shape) -> {
        Optional<ScheduleShape> ownSchedule =
            Optional.ofNullable(shape == null ? null : shape.schedule());
        if (ownSchedule.map(ScheduleShape::priority).isPresent()) {
          throw new IllegalArgumentException("locations." + name + ".schedule.priority: the"
              + " priority of automatic backups is set in the global schedule only");
        }
        merged.put(name, new LocationSettings(ownSchedule.map(Offsite::schedule),
            Optional.ofNullable(shape == null ? null : shape.retention()).map(Offsite::retention)));
      });
    }
    return new Offsite(locationsFile, s == null ? schedule : schedule(s),
        r == null ? retention : retention(r), merged, content);
  }

  private static ScheduleSettings schedule(ScheduleShape s) {
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String d : s.days() == null ? List.<String>of() : s.days()) {
      days.add(day(d));
    }
    Recurrence recurrence = s.recurrence() != null ? recurrence(s.recurrence())
        : days.isEmpty() ? Recurrence.DAILY : Recurrence.CUSTOM_DAYS;
    if (recurrence == Recurrence.DAILY && days.size() == 7) {
      days.clear();
    }
    return new ScheduleSettings(recurrence, Optional.ofNullable(s.time()).map(Offsite::time),
        days, lowPriority(s.priority()));
  }

  private static boolean lowPriority(String priority) {
    if (priority == null || priority.equalsIgnoreCase("normal")) {
      return false;
    }
    if (priority.equalsIgnoreCase("low")) {
      return true;
    }
    throw new IllegalArgumentException("schedule priority '" + priority + "': use low or normal");
  }

  private static RetentionSettings retention(RetentionShape r) {
    return new RetentionSettings(Optional.ofNullable(r.copies()), Optional.ofNullable(r.days()),
        orZero(r.daily()), orZero(r.weekly()), orZero(r.monthly()), orZero(r.yearly()));
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  private static Recurrence recurrence(String text) {
    try {
      return Recurrence.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("schedule recurrence '" + text
          + "' is unknown: use never, daily or custom_days");
    }
  }

  private static LocalTime time(String text) {
    try {
      return LocalTime.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("schedule time '" + text + "' is not HH:MM, such as"
          + " \"04:45\"");
    }
  }

  private static DayOfWeek day(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().toLowerCase(Locale.ROOT).startsWith(t) && t.length() >= 3) {
        return d;
      }
    }
    throw new IllegalArgumentException("schedule day '" + text + "' is unknown: use mon, tue,"
        + " wed, thu, fri, sat or sun");
  }
}
