package io.haven.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.device.LedConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedConfigKeyTest {
  @TempDir Path tmp;

  private Config load(String yaml) throws Exception {
    Path file = tmp.resolve("haven.yaml");
    Files.writeString(file, yaml);
    return Config.load(Optional.of(file), Map.of(), tmp);
  }

  private String refused(String yaml) {
    return assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
  }

  @Test
  void noLedKeyMeansNoLed() throws Exception {
    assertEquals(LedConfig.none(), load("compression: zstd\n").led());
    assertEquals(LedConfig.none(), Config.defaults(tmp).led());
  }

  @Test
  void ledKeyNamesAGpioPinASysfsLedOrNone() throws Exception {
    assertEquals(LedConfig.gpio(17), load("led: {kind: gpio, pin: 17}\n").led());
    assertEquals(LedConfig.sysfs("ACT"), load("led:\n  kind: sysfs\n  name: ACT\n").led());
    assertEquals(LedConfig.none(), load("led: {kind: none}\n").led());
  }

  @Test
  void badLedSettingsAreRefusedWithTheKeyNamed() {
    assertTrue(refused("led: {kind: gpio, pin: 17, colour: red}\n")
        .startsWith("Unknown key 'colour'"));
    assertEquals("Invalid config: led kind must be gpio, sysfs or none, not 'blink'.",
        refused("led: {kind: blink}\n"));
    assertTrue(refused("led: {kind: gpio}\n").contains("led kind gpio needs pin"));
    assertTrue(refused("led: {kind: gpio, pin: 99}\n").contains("GPIO pin must be 0..53"));
    assertTrue(refused("led: {kind: sysfs, name: ../../etc}\n")
        .contains("not an LED name in /sys/class/leds"));
  }
}
