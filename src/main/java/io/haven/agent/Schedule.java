package io.haven.agent;

import io.haven.config.Offsite.Recurrence;
import io.haven.config.Offsite.ScheduleSettings;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * When automatic backups run, as Home Assistant schedules them (FORMAT.md section 8): every day
 * or on chosen weekdays at a local time; with no time set, at 04:45 (after the recorder's nightly
 * job) plus a jitter of 0 to 3600 s chosen once, so devices do not all upload at the same minute.
 *
 * <p>A missed run (the device was off at a slot) is made up once, at the next daily slot, even on
 * a day that is not chosen; several missed slots still give one run.
 */
public record Schedule(Recurrence recurrence, LocalTime time, Set<DayOfWeek> days,
    Duration jitter) {
  public static final LocalTime DEFAULT_TIME = LocalTime.of(4, 45);
  public static final Duration MAX_JITTER = Duration.ofHours(1);
  public static final Schedule NEVER =
      new Schedule(Recurrence.NEVER, DEFAULT_TIME, Set.of(), Duration.ZERO);

  public Schedule {
    days = Set.copyOf(days);
    if (jitter.isNegative() || jitter.compareTo(MAX_JITTER) >= 0) {
      throw new IllegalArgumentException("jitter must be 0 to 3599 s, not " + jitter);
    }
    if (recurrence == Recurrence.CUSTOM_DAYS && days.isEmpty()) {
      throw new IllegalArgumentException("custom_days needs at least one day");
    }
  }

  /** The schedule {@code settings} describe; the jitter is drawn from {@code random}. */
  public static Schedule of(ScheduleSettings settings, RandomGenerator random) {
    Duration jitter = settings.time().isPresent() ? Duration.ZERO
        : Duration.ofSeconds(random.nextLong(MAX_JITTER.toSeconds()));
    return new Schedule(settings.recurrence(), settings.time().orElse(DEFAULT_TIME),
        settings.days(), jitter);
  }

  /**
   * The next run strictly after {@code now}, in {@code now}'s zone; empty for
   * {@link Recurrence#NEVER}. {@code lastAttempt} is when an automatic run last started, empty
   * if never; a chosen slot between it and {@code now} is a missed run.
   */
  public Optional<ZonedDateTime> next(ZonedDateTime now, Optional<Instant> lastAttempt) {
    if (recurrence == Recurrence.NEVER) {
      return Optional.empty();
    }
    boolean missed = lastAttempt.isPresent()
        && previous(now).toInstant().isAfter(lastAttempt.get());
    return Optional.of(missed ? nextSlot(now, true) : nextSlot(now, false));
  }

  /**
   * Whether a run is due at {@code now}: a chosen slot has come since {@code since}, the last
   * attempt (or, before the first one, the moment the schedule was first seen). Call it at the
   * time {@link #next} gave, so a missed run waits for its daily slot.
   */
  public boolean due(ZonedDateTime now, Instant since) {
    return recurrence != Recurrence.NEVER
        && !nextSlot(ZonedDateTime.ofInstant(since, now.getZone()), false).isAfter(now);
  }

  private ZonedDateTime nextSlot(ZonedDateTime now, boolean anyDay) {
    ZonedDateTime slot = slotOn(now.minusDays(1));
    while (!slot.isAfter(now) || !(anyDay || chosen(slot.minus(jitter).getDayOfWeek()))) {
      slot = slotOn(slot.minus(jitter).plusDays(1));
    }
    return slot;
  }

  // The latest chosen slot at or before now.
  private ZonedDateTime previous(ZonedDateTime now) {
    ZonedDateTime slot = slotOn(now.plusDays(1));
    while (slot.isAfter(now) || !chosen(slot.minus(jitter).getDayOfWeek())) {
      slot = slotOn(slot.minus(jitter).minusDays(1));
    }
    return slot;
  }

  private ZonedDateTime slotOn(ZonedDateTime day) {
    return day.with(time).withSecond(time.getSecond()).withNano(0).plus(jitter);
  }

  private boolean chosen(DayOfWeek day) {
    return recurrence == Recurrence.DAILY || days.contains(day);
  }
}
