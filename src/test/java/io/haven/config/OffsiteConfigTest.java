package io.haven.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.config.Offsite.Recurrence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsiteConfigTest {
  @TempDir Path tmp;

  Config load(String yaml, Map<String, String> env) throws Exception {
    Path file = tmp.resolve("haven.yaml");
    Files.writeString(file, yaml);
    return Config.load(Optional.of(file), env, tmp);
  }

  @Test
  void scheduleAndRetentionGloballyAndPerLocation() throws Exception {
    Config c = load("schedule: {time: \"03:30\", days: [mon, thu]}\n"
        + "retention: {copies: 7}\n"
        + "location_overrides:\n  cloud: {retention: {days: 30}, schedule: {recurrence: daily}}\n",
        Map.of());
    Offsite o = c.offsite();
    assertEquals(Recurrence.CUSTOM_DAYS, o.schedule().recurrence());
    assertEquals(Set.of(DayOfWeek.MONDAY, DayOfWeek.THURSDAY), o.schedule().days());
    assertEquals(Optional.of(LocalTime.of(3, 30)), o.schedule().time());
    assertEquals(Optional.of(7), o.retentionOf("nas").copies());
    assertEquals(Optional.of(30), o.retentionOf("cloud").days());
    assertEquals(Optional.empty(), o.retentionOf("cloud").copies());
    assertEquals(Recurrence.DAILY, o.scheduleOf("cloud").recurrence());
  }

  @Test
  void automaticBackupsCanRunAtLowPriorityChosenInTheGlobalScheduleOnly() throws Exception {
    assertTrue(load("schedule: {time: \"03:30\", priority: low}\n", Map.of()).offsite()
        .schedule().lowPriority());
    assertTrue(!load("schedule: {time: \"03:30\"}\n", Map.of()).offsite().schedule()
        .lowPriority(), "normal unless asked");
    ConfigException e = assertThrows(ConfigException.class,
        () -> load("schedule: {priority: idle}\n", Map.of()));
    assertTrue(e.getMessage().contains("use low or normal"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> load(
        "location_overrides:\n  cloud: {schedule: {recurrence: daily, priority: low}}\n",
        Map.of()));
    assertTrue(e.getMessage().contains("global schedule only"), e.getMessage());
  }

  @Test
  void theOlderNameOfTheOverridesStillReadsWithAWarning() throws Exception {
    String overrides = "  cloud: {retention: {days: 30}, schedule: {recurrence: daily}}\n";
    Config renamed = load("location_overrides:\n" + overrides, Map.of());
    assertEquals(List.of(), renamed.warnings());
    Config old = load("locations:\n" + overrides, Map.of());
    assertEquals(renamed.offsite(), old.offsite());
    assertEquals(List.of(tmp.resolve("haven.yaml") + ": 'locations:' is now called"
        + " 'location_overrides:' (each location's own schedule and retention); rename it, the"
        + " old name still works for now."), old.warnings());
    ConfigException both = assertThrows(ConfigException.class,
        () -> load("locations:\n" + overrides + "location_overrides:\n" + overrides, Map.of()));
    assertTrue(both.getMessage().contains("has both 'location_overrides:' and the older"
        + " 'locations:'"), both.getMessage());
  }

  @Test
  void generationsGloballyAndPerLocation() throws Exception {
    Offsite o = load("retention: {copies: 3, daily: 7, weekly: 4}\n"
        + "location_overrides:\n  cloud: {retention: {monthly: 12, yearly: 3}}\n", Map.of())
        .offsite();
    assertEquals(new Offsite.RetentionSettings(Optional.of(3), Optional.empty(), 7, 4, 0, 0),
        o.retentionOf("nas"));
    assertEquals(new Offsite.RetentionSettings(Optional.empty(), Optional.empty(), 0, 0, 12, 3),
        o.retentionOf("cloud"));
    ConfigException e = assertThrows(ConfigException.class,
        () -> load("retention: {weekly: -1}\n", Map.of()));
    assertTrue(e.getMessage().contains("must not be negative"), e.getMessage());
  }

  @Test
  void locationsFileSitsBesideTheConfigUnlessTheEnvironmentMovesIt() throws Exception {
    assertEquals(tmp.resolve("locations.yaml"), load("compression: zstd\n", Map.of()).locationsFile());
    assertEquals(tmp.resolve("else/where.yaml"),
        load("compression: zstd\n", Map.of("HAVEN_LOCATIONS_FILE", "else/where.yaml")).locationsFile());
    assertEquals(tmp.resolve("haven-data/locations.yaml"), Config.defaults(tmp).locationsFile());
  }

  @Test
  void badValuesNameTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> load("retention: {copies: 0}\n", Map.of()));
    assertTrue(e.getMessage().contains("retention copies must be at least 1"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> load("schedule: {when: daily}\n", Map.of()));
    assertTrue(e.getMessage().contains("'when'"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> load("schedule: {days: [funday]}\n", Map.of()));
    assertTrue(e.getMessage().contains("funday"), e.getMessage());
  }
}
