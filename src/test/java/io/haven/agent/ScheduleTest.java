package io.haven.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.config.Offsite.Recurrence;
import io.haven.config.Offsite.ScheduleSettings;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Next-run computations on fixed instants (2025-03-05 is a Wednesday). */
class ScheduleTest {
  static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

  static ZonedDateTime at(String local) {
    return java.time.LocalDateTime.parse(local).atZone(ZONE);
  }

  static Schedule daily(String time) {
    return new Schedule(Recurrence.DAILY, LocalTime.parse(time), Set.of(), Duration.ZERO);
  }

  @Test
  void dailyRunsAtTheTimeTodayOrTomorrow() {
    assertEquals(at("2025-03-05T04:45"), daily("04:45").next(at("2025-03-05T01:00"),
        Optional.empty()).orElseThrow());
    assertEquals(at("2025-03-06T04:45"), daily("04:45").next(at("2025-03-05T04:45"),
        Optional.empty()).orElseThrow());
  }

  @Test
  void chosenDaysSkipTheOthers() {
    Schedule monThu = new Schedule(Recurrence.CUSTOM_DAYS, LocalTime.of(3, 0),
        Set.of(DayOfWeek.MONDAY, DayOfWeek.THURSDAY), Duration.ZERO);
    Instant lastRun = at("2025-03-03T03:00").toInstant(); // Monday's run was made
    assertEquals(at("2025-03-06T03:00"), monThu.next(at("2025-03-05T12:00"),
        Optional.of(lastRun)).orElseThrow());
    assertEquals(at("2025-03-10T03:00"), monThu.next(at("2025-03-06T03:00"),
        Optional.of(at("2025-03-06T03:00").toInstant())).orElseThrow());
  }

  @Test
  void missedRunIsMadeUpOnceAtTheNextDailySlot() {
    Schedule monOnly = new Schedule(Recurrence.CUSTOM_DAYS, LocalTime.of(3, 0),
        Set.of(DayOfWeek.MONDAY), Duration.ZERO);
    // Off from Sunday to Wednesday noon: Monday 03:00 was missed; Thursday 03:00 makes it up.
    Optional<Instant> lastRun = Optional.of(at("2025-02-24T03:00").toInstant());
    ZonedDateTime wednesday = at("2025-03-05T12:00");
    assertEquals(at("2025-03-06T03:00"), monOnly.next(wednesday, lastRun).orElseThrow());
    assertTrue(monOnly.due(at("2025-03-06T03:00"), lastRun.get()));
    // Once made up, the next run is the next Monday again: several misses, one run.
    Optional<Instant> madeUp = Optional.of(at("2025-03-06T03:00").toInstant());
    assertEquals(at("2025-03-10T03:00"), monOnly.next(at("2025-03-06T03:00"), madeUp)
        .orElseThrow());
    assertFalse(monOnly.due(at("2025-03-09T12:00"), madeUp.get()));
  }

  @Test
  void notDueBeforeTheSlotAndDueAtIt() {
    Instant since = at("2025-03-05T01:00").toInstant();
    assertFalse(daily("04:45").due(at("2025-03-05T04:44"), since));
    assertTrue(daily("04:45").due(at("2025-03-05T04:45"), since));
  }

  @Test
  void noTimeMeans0445PlusJitterWithinAnHour() {
    ScheduleSettings noTime = new ScheduleSettings(Recurrence.DAILY, Optional.empty(), Set.of());
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 2000; i++) {
      Schedule s = Schedule.of(noTime, random);
      ZonedDateTime next = s.next(at("2025-03-05T00:00"), Optional.empty()).orElseThrow();
      assertFalse(next.isBefore(at("2025-03-05T04:45")), next.toString());
      assertTrue(next.isBefore(at("2025-03-05T05:45")), next.toString());
    }
    ScheduleSettings fixed = new ScheduleSettings(Recurrence.DAILY,
        Optional.of(LocalTime.of(2, 30)), Set.of());
    assertEquals(Duration.ZERO, Schedule.of(fixed, random).jitter());
  }

  @Test
  void neverHasNoNextRun() {
    assertEquals(Optional.empty(), Schedule.NEVER.next(at("2025-03-05T00:00"), Optional.empty()));
    assertFalse(Schedule.NEVER.due(at("2025-03-05T04:45"), Instant.EPOCH));
  }
}
