package io.haven.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.haven.archive.Compression;
import io.haven.device.LedConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The locations file follows HAVEN_BACKUP_DIR; a builder changes one value and keeps the rest. */
class ConfigBuilderTest {
  @TempDir Path tmp;

  @Test
  void withoutAConfigFileTheLocationsFileLiesBesideTheBackupDirTheEnvironmentNames()
      throws Exception {
    assumeFalse(Files.exists(Config.DEVICE_CONFIG), "a device's own config is in use here");
    Path backup = tmp.resolve("disk/backup");
    Config c = Config.load(Optional.empty(), Map.of("HAVEN_BACKUP_DIR", backup.toString()),
        tmp);
    assertEquals(backup, c.backupDir());
    assertEquals(tmp.resolve("disk/locations.yaml"), c.locationsFile(),
        "not ./haven-data/locations.yaml");
  }

  @Test
  void aConfigFileOrHavenLocationsFileStillPlacesIt() throws Exception {
    Path f = Files.writeString(tmp.resolve("haven.yaml"), "compression: gzip\n");
    Map<String, String> env = Map.of("HAVEN_BACKUP_DIR", tmp.resolve("b").toString());
    assertEquals(tmp.resolve("locations.yaml"),
        Config.load(Optional.of(f), env, tmp).locationsFile(), "beside the config file");
    assertEquals(tmp.resolve("elsewhere.yaml"), Config.load(Optional.of(f),
        Map.of("HAVEN_BACKUP_DIR", "b", "HAVEN_LOCATIONS_FILE", "elsewhere.yaml"), tmp)
        .locationsFile());
  }

  @Test
  void aBuilderChangesOneValueAndKeepsTheOthers() {
    Config c = new Config(tmp.resolve("root"), tmp.resolve("backup"), Compression.GZIP, 3);
    Config led = c.toBuilder().led(LedConfig.gpio(17)).build();

    assertEquals(c, c.toBuilder().build());
    assertEquals(LedConfig.gpio(17), led.led());
    assertEquals(c, led.withLed(LedConfig.none()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> c.toBuilder().compressionWorkers(0).build());
    assertEquals("compression_workers must be 1 to 64, not 0", e.getMessage());
  }
}
