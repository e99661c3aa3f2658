package io.haven.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsFileTest {
  @TempDir Path tmp;

  private static final String BEFORE = "# my device\n"
      + "data_root: /srv/data   # the disk\n"
      + "schedule:\n"
      + "  time: \"04:45\"   # replaced\n"
      + "  days: [mon]\n"
      + "\n"
      + "# mqtt comes next\n"
      + "mqtt: {broker: \"mqtt://127.0.0.1:1883\"}\n"
      + "retention: {copies: 3}\n";

  @Test
  void setsOnlyItsKeysAndKeepsEveryOtherLineWithItsComments() throws Exception {
    Path file = tmp.resolve("haven.yaml");
    Files.writeString(file, BEFORE);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    Map<String, Object> keys = new LinkedHashMap<>();
    keys.put("schedule", Map.of("recurrence", "daily", "time", "03:15"));
    keys.put("retention", null);
    keys.put("automatic_content", Map.of("database", false, "folders", List.of("share")));
    new SettingsFile(file).set(keys);

    String after = Files.readString(file);
    assertTrue(after.startsWith("# my device\ndata_root: /srv/data   # the disk\nschedule:\n"),
        after);
    assertTrue(after.contains("\n\n# mqtt comes next\nmqtt: {broker: \"mqtt://127.0.0.1:1883\"}\n"),
        after);
    assertTrue(!after.contains("retention") && !after.contains("replaced"), after);
    Config c = Config.load(Optional.of(file), Map.of(), tmp);
    assertEquals(Offsite.Recurrence.DAILY, c.offsite().schedule().recurrence());
    assertEquals("03:15", c.offsite().schedule().time().get().toString());
    assertEquals(Offsite.RetentionSettings.FOREVER, c.offsite().retention());
    assertEquals(Optional.of(List.of("share")), c.offsite().content().folders());
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void aChangeThatWouldStopHavenIsRefusedAndTheFileKept() throws Exception {
    Path file = tmp.resolve("haven.yaml");
    Files.writeString(file, BEFORE);
    ConfigException e = assertThrows(ConfigException.class, () -> new SettingsFile(file)
        .set(Map.of("retention", Map.of("copies", 0))));
    assertTrue(e.getMessage().contains("retention copies must be at least 1"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()) || !e.getMessage().contains(".tmp"),
        e.getMessage());
    assertEquals(BEFORE, Files.readString(file));
    try (var left = Files.list(tmp)) {
      assertEquals(List.of(file), left.toList(), "no temporary file is left");
    }
  }
}
