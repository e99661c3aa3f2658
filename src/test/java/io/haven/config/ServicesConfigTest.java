package io.haven.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServicesConfigTest {
  @TempDir Path tmp;

  Config load(String yaml) throws Exception {
    Path file = tmp.resolve("haven.yaml");
    Files.writeString(file, yaml);
    return Config.load(Optional.of(file), Map.of(), tmp);
  }

  @Test
  void servicesKeepTheirOrderAndDefaults() throws Exception {
    Config c = load("sys_root: fake\nservices:\n  homeassistant:\n    stop: systemctl stop ha\n"
        + "    start: systemctl start ha\n  core_mosquitto:\n    stop: docker stop m\n"
        + "    backup: cold\n    timeout_seconds: 30\n");
    assertEquals(tmp.resolve("fake"), c.sysRoot());
    assertEquals(List.of("homeassistant", "core_mosquitto"),
        c.services().list().stream().map(Service::name).toList());
    Service ha = c.services().named("homeassistant").orElseThrow();
    assertEquals(Optional.of("systemctl stop ha"), ha.stop());
    assertEquals(Optional.empty(), ha.restart());
    assertEquals(Service.DEFAULT_TIMEOUT, ha.timeout());
    Service mq = c.services().named("core_mosquitto").orElseThrow();
    assertEquals(Duration.ofSeconds(30), mq.timeout());
    assertEquals(true, mq.coldBackup());
  }

  @Test
  void noServicesByDefault() throws Exception {
    assertEquals(Services.NONE, Config.defaults(tmp).services());
    assertEquals(Path.of("/"), Config.defaults(tmp).sysRoot());
  }

  @Test
  void badBackupModeNamesTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> load("services:\n  core_mosquitto:\n    backup: frozen\n"));
    assertEquals("Invalid config: services.core_mosquitto.backup must be hot or cold, not"
        + " 'frozen'.", e.getMessage());
  }

  @Test
  void envSysRootWins() throws Exception {
    Config c = Config.load(Optional.empty(), Map.of("HAVEN_SYS_ROOT", "elsewhere"), tmp);
    assertEquals(tmp.resolve("elsewhere"), c.sysRoot());
  }
}
