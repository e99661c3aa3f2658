package io.haven.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MqttConfigTest {
  private static final Path BASE = Path.of("/etc/haven");

  @Test
  void onlyTheBrokerIsNeeded() throws Exception {
    MqttConfig c = MqttConfig.parse(Map.of("broker", "mqtt://core-mosquitto"), BASE);
    assertEquals(MqttConfig.of(URI.create("mqtt://core-mosquitto")), c);
    assertEquals("homeassistant", c.discoveryPrefix());
    assertEquals("haven", c.baseTopic());
    assertEquals("tcp://core-mosquitto:1883", c.serverUri());
  }

  @Test
  void everyKeyIsRead() throws Exception {
    MqttConfig c = MqttConfig.parse(Map.of("broker", "mqtts://broker.lan", "user", "haven",
        "password_file", "mqtt-password", "discovery_prefix", "ha", "base_topic", "home/haven",
        "node_id", "pi-kitchen", "stale_after", "36h",
        "configuration_url", "http://haven.local:8099/"), BASE);
    assertEquals("ssl://broker.lan:8883", c.serverUri());
    assertEquals(Optional.of("haven"), c.user());
    assertEquals(Optional.of(Path.of("/etc/haven/mqtt-password")), c.passwordFile(),
        "relative to the config file's folder");
    assertEquals("home/haven", c.baseTopic());
    assertEquals(Duration.ofHours(36), c.staleAfter());
    assertEquals(Optional.of(URI.create("http://haven.local:8099/")), c.configurationUrl());
  }

  @Test
  void staleAfterTakesShortFormsAndIso() {
    assertEquals(Duration.ofDays(3), MqttConfig.duration("3d"));
    assertEquals(Duration.ofMinutes(90), MqttConfig.duration("90m"));
    assertEquals(Duration.ofDays(2), MqttConfig.duration("P2D"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MqttConfig.duration("3 days"));
    assertEquals("mqtt.stale_after must look like 3d, 36h, 90m or P3D, not '3 days'",
        e.getMessage());
  }

  @Test
  void unknownKeyIsNamed() {
    MqttFailure e = assertThrows(MqttFailure.BadConfig.class,
        () -> MqttConfig.parse(Map.of("broker", "mqtt://b", "pasword_file", "x"), BASE));
    assertTrue(e.getMessage().startsWith("Unknown key 'mqtt.pasword_file'. Known keys under"
        + " mqtt: [broker, user, password_file,"), e.getMessage());
    assertEquals(7, e.exitCode());
  }

  @Test
  void badValuesSayWhatIsExpected() {
    assertEquals("Invalid config: mqtt.broker must be mqtt://host[:port] or mqtts://host[:port],"
        + " not 'http://b'.", badConfig(Map.of("broker", "http://b")));
    assertEquals("Invalid config: mqtt.broker must be a URL without user:password@ (use"
        + " mqtt.user and mqtt.password_file), not 'mqtt://u:p@b'.",
        badConfig(Map.of("broker", "mqtt://u:p@b")));
    assertEquals("Invalid config: mqtt.base_topic must be a topic without +, # or a"
        + " leading/trailing /, not 'haven/#'.",
        badConfig(Map.of("broker", "mqtt://b", "base_topic", "haven/#")));
    assertEquals("Invalid config: mqtt.node_id must be letters, digits, _ and -, not 'my pi'.",
        badConfig(Map.of("broker", "mqtt://b", "node_id", "my pi")));
    assertTrue(badConfig(Map.of("user", "haven")).startsWith(
        "Invalid config: mqtt.broker is missing"));
  }

  @Test
  void backupIsStaleWhenNoneIsGoodOrTheNewestIsTooOld() {
    Instant now = Instant.parse("2026-11-25T12:00:00Z");
    HavenState never = HavenState.unknown();
    assertTrue(StateJson.stale(never, now, Duration.ofDays(3)));
    HavenState recent = new HavenState(HavenState.Activity.IDLE, Optional.empty(),
        Optional.of(now.minus(Duration.ofDays(2))), Optional.empty(), 1, OptionalLong.empty(),
        OptionalInt.empty());
    assertFalse(StateJson.stale(recent, now, Duration.ofDays(3)));
    assertTrue(StateJson.stale(recent, now, Duration.ofDays(1)));
  }

  @Test
  void progressOutsideZeroToHundredIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> HavenState.unknown().with(HavenState.Activity.BACKING_UP, OptionalInt.of(101)));
  }

  private static String badConfig(Map<String, ?> section) {
    return assertThrows(MqttFailure.BadConfig.class, () -> MqttConfig.parse(section, BASE))
        .getMessage();
  }
}
