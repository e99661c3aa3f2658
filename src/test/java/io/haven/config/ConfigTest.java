package io.haven.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.archive.Compression;
import io.haven.mqtt.MqttConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  @TempDir Path tmp;

  @Test
  void noConfigMeansEverythingUnderHavenData() throws Exception {
    Config c = Config.load(Optional.empty(), Map.of(), tmp);
    if (Files.exists(Config.DEVICE_CONFIG)) {
      return; // a device's own config wins; this machine is not a fresh one
    }
    assertEquals(tmp.resolve("haven-data/data"), c.dataRoot());
    assertEquals(tmp.resolve("haven-data/backup"), c.backupDir());
    assertEquals(Compression.ZSTD, c.compression());
  }

  @Test
  void fileSetsAndEnvironmentOverrides() throws Exception {
    Path f = Files.writeString(tmp.resolve("haven.yaml"),
        "data_root: /srv/data\nbackup_dir: bk\ncompression: gzip\n");
    Config c = Config.load(Optional.of(f), Map.of("HAVEN_BACKUP_DIR", "/mnt/backup"), tmp);
    assertEquals(Path.of("/srv/data"), c.dataRoot());
    assertEquals(Path.of("/mnt/backup"), c.backupDir());
    assertEquals(Compression.GZIP, c.compression());
    Config viaEnv = Config.load(Optional.empty(), Map.of("HAVEN_CONFIG", f.toString()), tmp);
    assertEquals(tmp.resolve("bk"), viaEnv.backupDir(), "relative to the file's folder");
  }

  @Test
  void unknownKeyIsNamed() throws Exception {
    Path f = Files.writeString(tmp.resolve("haven.yaml"), "data_rot: /srv/data\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> Config.load(Optional.of(f), Map.of(), tmp));
    assertTrue(e.getMessage().startsWith("Unknown key 'data_rot' in " + f), e.getMessage());
    assertEquals(7, e.exitCode());
  }

  @Test
  void badValueIsNamed() throws Exception {
    Path f = Files.writeString(tmp.resolve("haven.yaml"), "compression: lz4\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> Config.load(Optional.of(f), Map.of(), tmp));
    assertEquals("Invalid config: unknown compression 'lz4': use zstd, gzip or none.",
        e.getMessage());
  }

  @Test
  void mqttIsOffUnlessConfigured() throws Exception {
    Path plain = Files.writeString(tmp.resolve("plain.yaml"), "compression: gzip\n");
    assertEquals(Optional.empty(), Config.load(Optional.of(plain), Map.of(), tmp).mqtt());
    Path f = Files.writeString(tmp.resolve("haven.yaml"), "mqtt:\n"
        + "  broker: mqtt://core-mosquitto:1883\n  user: haven\n  password_file: mqtt.pw\n"
        + "  stale_after: 2d\n");
    MqttConfig m = Config.load(Optional.of(f), Map.of(), tmp).mqtt().orElseThrow();
    assertEquals(URI.create("mqtt://core-mosquitto:1883"), m.broker());
    assertEquals(Optional.of(tmp.resolve("mqtt.pw")), m.passwordFile());
    assertEquals(Duration.ofDays(2), m.staleAfter());
  }

  @Test
  void unknownMqttKeyIsNamed() throws Exception {
    Path f = Files.writeString(tmp.resolve("haven.yaml"),
        "mqtt:\n  broker: mqtt://b\n  password: hunter2\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> Config.load(Optional.of(f), Map.of(), tmp));
    assertTrue(e.getMessage().startsWith("Unknown key 'mqtt.password'."), e.getMessage());
    assertEquals(7, e.exitCode());
  }

  @Test
  void missingFileIsClear() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> Config.load(Optional.of(tmp.resolve("nope.yaml")), Map.of(), tmp));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }
}
