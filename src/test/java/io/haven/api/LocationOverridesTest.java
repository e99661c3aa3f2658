package io.haven.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web panel's settings write each location's own retention under {@code location_overrides:}
 * and take a file's older {@code locations:} key along, so the file never holds both; a location's
 * own schedule, which the page does not edit, stays.
 */
class LocationOverridesTest {
  @TempDir Path tmp;

  @Test
  void savingTheSettingsRenamesTheOlderKeyAndKeepsEachLocationsSchedule() throws Exception {
    Path file = tmp.resolve("haven.yaml");
    Files.createDirectories(tmp.resolve("root"));
    Files.writeString(file, "data_root: " + tmp.resolve("root") + "\n"
        + "backup_dir: " + tmp.resolve("backup") + "\n"
        + "api_listen: 127.0.0.1:0\n"
        + "locations:\n  nas:\n    retention: {copies: 14}\n"
        + "    schedule: {recurrence: custom_days, days: [sat], time: '03:30'}\n"
        + "compression: zstd\n");
    Config config = Config.load(Optional.of(file), Map.of("HAVEN_API_TOKEN", RunningAgent.TOKEN),
        tmp);
    assertEquals(Optional.of(14), config.offsite().retentionOf("nas").copies());
    try (RunningAgent agent = new RunningAgent(config)) {
      agent.daemon.settingsIn(file);
      RunningAgent.Answer saved = agent.post("/haven/settings", "{\"schedule\":"
          + "{\"recurrence\":\"never\"},\"content\":{\"database\":true},\"retention\":"
          + "{\"copies\":7},\"location_retention\":{\"nas\":{\"copies\":3}}}");
      assertEquals(200, saved.status(), saved.body().toString());
    }
    String yaml = Files.readString(file);
    assertTrue(yaml.contains("location_overrides:\n  nas:\n"), yaml);
    assertTrue(yaml.contains("    retention:\n      copies: 3\n"), yaml);
    assertFalse(yaml.contains("\nlocations:"), yaml);
    assertTrue(yaml.contains("compression: zstd\n"), "the rest stays as it was: " + yaml);
    Config reread = Config.load(Optional.of(file), Map.of(), tmp);
    assertEquals(Optional.of(3), reread.offsite().retentionOf("nas").copies());
    // Before: the page wrote retention only, and the location's own schedule was gone.
    assertEquals(config.offsite().locations().get("nas").schedule(),
        reread.offsite().locations().get("nas").schedule(), yaml);
    assertTrue(reread.offsite().locations().get("nas").schedule().isPresent(), yaml);
    assertTrue(reread.warnings().isEmpty(), reread.warnings().toString());
  }
}
