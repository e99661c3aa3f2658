package io.haven.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.device.LedConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The example device config in image-overlay/ is a config Haven accepts, as documented. */
class OverlayConfigTest {
  @Test
  void theImageOverlaysExampleConfigLoads() throws Exception {
    Path file = Path.of("image-overlay/etc/haven/haven.yaml").toAbsolutePath();
    Config c = Config.load(Optional.of(file), Map.of(), Path.of("."));
    assertEquals(Path.of("/data"), c.dataRoot());
    assertEquals(Path.of("/backup"), c.backupDir());
    assertEquals(8470, c.agent().listenPort());
    assertEquals(LedConfig.sysfs("ACT"), c.led());
    assertEquals(Offsite.Recurrence.CUSTOM_DAYS, c.offsite().schedule().recurrence());
    assertTrue(c.services().named("homeassistant").isPresent());
    assertTrue(c.services().named("core_mosquitto").get().coldBackup());
    assertTrue(c.mqtt().isPresent());
    assertEquals(Path.of("/etc/haven/locations.yaml"), c.locationsFile());
  }
}
