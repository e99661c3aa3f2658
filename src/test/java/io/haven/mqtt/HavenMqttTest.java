package io.haven.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Haven against a real Mosquitto, watched by a second client as Home Assistant would. */
class HavenMqttTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HavenMqtt.Timing FAST = new HavenMqtt.Timing(Duration.ofMillis(200),
      Duration.ofMinutes(1), Duration.ofMillis(100), Duration.ofMillis(400));
  private static final Instant BACKUP_TIME = Instant.parse("2026-11-25T10:15:00Z");

  @TempDir static Path dir;
  private static Mosquitto broker;
  private static Path goodPassword;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = Mosquitto.start(dir);
    goodPassword = Files.writeString(dir.resolve("good-password"), Mosquitto.PASSWORD + "\n");
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  /** Counts presses and lets a test wait for them; a backup moves the published state along. */
  static final class RecordingCommands implements Commands {
    final AtomicInteger creates = new AtomicInteger();
    final AtomicInteger verifies = new AtomicInteger();
    final Semaphore created = new Semaphore(0);
    final Semaphore verified = new Semaphore(0);
    volatile HavenMqtt mqtt;

    @Override
    public void createFullBackup() {
      creates.incrementAndGet();
      if (mqtt != null) {
        HavenState idle = HavenState.unknown();
        mqtt.publish(idle.with(HavenState.Activity.BACKING_UP, OptionalInt.of(0)));
        mqtt.publish(idle.with(HavenState.Activity.BACKING_UP, OptionalInt.of(50)));
        mqtt.publish(new HavenState(HavenState.Activity.IDLE,
            Optional.of(new HavenState.LastBackup("Haven full 2026-11-25", BACKUP_TIME, 123456789)),
            Optional.of(BACKUP_TIME), Optional.empty(), 1, OptionalLong.of(5_000_000_000L),
            OptionalInt.empty()));
      }
      created.release();
    }

    @Override
    public void verifyLatest() {
      verifies.incrementAndGet();
      verified.release();
    }
  }

  private static MqttConfig config(String name, Path password) {
    return new MqttConfig(URI.create(broker.url()), Optional.of(Mosquitto.USER),
        Optional.of(password), "ha-" + name, "haven-" + name, name, Duration.ofDays(3),
        Optional.of(URI.create("http://haven.local:8099/")));
  }

  private static HavenMqtt start(MqttConfig c, Commands commands) {
    // A fixed clock: "backup stale" must not depend on the day the test runs.
    return HavenMqtt.start(c, HavenState.unknown(), commands,
        Clock.fixed(BACKUP_TIME.plus(Duration.ofHours(1)), ZoneOffset.UTC), FAST);
  }

  @Test
  void discoveryDescribesOneDeviceWithSensorsAndButtons() throws Exception {
    MqttConfig c = config("discovery", goodPassword);
    try (HavenMqtt mqtt = start(c, new RecordingCommands());
        Listener ha = new Listener(broker, c.discoveryPrefix() + "/#", c.baseTopic() + "/#")) {
      ha.awaitOn(c.baseTopic() + "/availability", "online"::equals);
      ha.await("state", m -> m.topic().equals(c.baseTopic() + "/state"));
      ha.awaitOn("ha-discovery/button/discovery/verify_latest_backup/config", p -> true);

      List<String> configs = configTopics(ha, c);
      assertEquals(List.of(
          "ha-discovery/sensor/discovery/state/config",
          "ha-discovery/sensor/discovery/last_backup/config",
          "ha-discovery/sensor/discovery/last_backup_name/config",
          "ha-discovery/sensor/discovery/last_backup_size/config",
          "ha-discovery/sensor/discovery/last_successful_backup/config",
          "ha-discovery/sensor/discovery/next_backup/config",
          "ha-discovery/sensor/discovery/backups/config",
          "ha-discovery/sensor/discovery/free_space/config",
          "ha-discovery/sensor/discovery/progress/config",
          "ha-discovery/binary_sensor/discovery/backup_stale/config",
          "ha-discovery/button/discovery/create_full_backup/config",
          "ha-discovery/button/discovery/verify_latest_backup/config"), configs);

      JsonNode state = JSON.readTree(ha.latest("haven-discovery/state").orElseThrow().payload());
      Set<String> uniqueIds = new HashSet<>();
      for (String topic : configs) {
        Listener.Message m = ha.latest(topic).orElseThrow();
        JsonNode e = JSON.readTree(m.payload());
        assertTrue(uniqueIds.add(e.path("unique_id").asText()), "unique_id unique: " + e);
        assertTrue(e.path("unique_id").asText().startsWith("discovery_"), e.toString());
        assertFalse(e.path("name").asText().isEmpty(), e.toString());
        assertEquals("haven-discovery/availability",
            e.path("availability").get(0).path("topic").asText(), e.toString());
        assertDevice(e.path("device"));
        if (topic.contains("/button/")) {
          assertTrue(e.path("command_topic").asText().startsWith("haven-discovery/command/"));
          assertEquals("PRESS", e.path("payload_press").asText());
        } else {
          assertEquals("haven-discovery/state", e.path("state_topic").asText(), e.toString());
          assertTemplateKeyIn(state, e.path("value_template").asText());
        }
      }
      JsonNode lastBackup = JSON.readTree(
          ha.latest("ha-discovery/sensor/discovery/last_backup/config").orElseThrow().payload());
      assertEquals("timestamp", lastBackup.path("device_class").asText());
      JsonNode size = JSON.readTree(
          ha.latest("ha-discovery/sensor/discovery/last_backup_size/config").orElseThrow()
              .payload());
      assertEquals("data_size", size.path("device_class").asText());
      assertEquals("B", size.path("unit_of_measurement").asText());
      JsonNode stale = JSON.readTree(
          ha.latest("ha-discovery/binary_sensor/discovery/backup_stale/config").orElseThrow()
              .payload());
      assertEquals("problem", stale.path("device_class").asText());
      assertEquals("ON", state.path("backup_stale").asText(), "no good backup yet: " + state);
      assertEquals("idle", state.path("state").asText());
      try (Listener late = new Listener(broker, c.discoveryPrefix() + "/#")) {
        for (String topic : configs) {
          assertTrue(late.awaitOn(topic, p -> true).retained(), topic + " is retained");
        }
      }
      System.out.println("Discovery configs Haven publishes:");
      configs.forEach(t -> System.out.println(t + " " + ha.latest(t).orElseThrow().payload()));
    }
  }

  @Test
  void buttonPressRunsOneFullBackupAndStateGoesIdleBackingUpIdle() throws Exception {
    MqttConfig c = config("press", goodPassword);
    RecordingCommands commands = new RecordingCommands();
    try (HavenMqtt mqtt = start(c, commands);
        Listener ha = new Listener(broker, c.baseTopic() + "/#")) {
      commands.mqtt = mqtt;
      ha.awaitOn("haven-press/state", p -> p.contains("\"state\":\"idle\""));
      int before = ha.count();
      ha.send("haven-press/command/create_full_backup", "PRESS", false);

      assertTrue(commands.created.tryAcquire(15, TimeUnit.SECONDS), "createFullBackup called");
      ha.awaitAfter(before, "backing up", m -> m.payload().contains("\"state\":\"backing up\""));
      Listener.Message done = ha.awaitAfter(before, "idle with the new backup",
          m -> m.payload().contains("\"last_backup\":\"2026-11-25T10:15:00Z\""));
      JsonNode last = JSON.readTree(done.payload());
      assertEquals("idle", last.path("state").asText());
      assertEquals("Haven full 2026-11-25", last.path("last_backup_name").asText());
      assertEquals(123456789, last.path("last_backup_size").asLong());
      assertEquals("OFF", last.path("backup_stale").asText(), "the new backup is recent");
      try (Listener late = new Listener(broker, "haven-press/state")) {
        Listener.Message kept = late.awaitOn("haven-press/state", p -> true);
        assertTrue(kept.retained(), "a restarting Home Assistant sees the state");
        assertEquals(done.payload(), kept.payload());
      }

      // Commands run in arrival order on one thread: once verify ran, a duplicate create would have.
      ha.send("haven-press/command/verify_latest_backup", "PRESS", false);
      assertTrue(commands.verified.tryAcquire(15, TimeUnit.SECONDS), "verifyLatest called");
      assertEquals(1, commands.creates.get(), "one press, one backup");
      assertEquals(1, commands.verifies.get());

      System.out.println("Messages of a button-triggered backup:");
      ha.on("haven-press/state").forEach(m -> System.out.println(m.topic() + " " + m.payload()));
    }
  }

  @Test
  void retainedPressIsIgnoredSoAReconnectStartsNoBackup() throws Exception {
    MqttConfig c = config("retained", goodPassword);
    RecordingCommands commands = new RecordingCommands();
    try (Listener ha = new Listener(broker, c.baseTopic() + "/#")) {
      ha.send("haven-retained/command/create_full_backup", "PRESS", true);
      try (HavenMqtt mqtt = start(c, commands)) {
        ha.awaitOn("haven-retained/availability", "online"::equals);
        ha.send("haven-retained/command/verify_latest_backup", "PRESS", false);
        assertTrue(commands.verified.tryAcquire(15, TimeUnit.SECONDS), "verifyLatest called");
        assertEquals(0, commands.creates.get(), "the retained press was ignored");
      } finally {
        ha.send("haven-retained/command/create_full_backup", "", true);
      }
    }
  }

  @Test
  void lastWillSaysOfflineWhenTheProcessIsKilled() throws Exception {
    try (Listener ha = new Listener(broker, "child/killed/availability")) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process child = new ProcessBuilder(java, "-Xmx64m", "-cp",
          System.getProperty("java.class.path"), MqttChild.class.getName(), broker.url(),
          goodPassword.toString(), "killed")
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("child.log").toFile())
          .start();
      try {
        ha.awaitOn("child/killed/availability", "online"::equals);
        int before = ha.count();
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        Listener.Message will = ha.awaitAfter(before, "offline from the last will",
            m -> m.payload().equals("offline"));
        assertEquals("child/killed/availability", will.topic());
      } finally {
        child.destroyForcibly();
      }
    }
  }

  @Test
  void closingSaysOffline() throws Exception {
    MqttConfig c = config("close", goodPassword);
    try (Listener ha = new Listener(broker, c.baseTopic() + "/availability")) {
      HavenMqtt mqtt = start(c, new RecordingCommands());
      ha.awaitOn("haven-close/availability", "online"::equals);
      int before = ha.count();
      mqtt.close();
      ha.awaitAfter(before, "offline", m -> m.payload().equals("offline"));
      mqtt.publish(HavenState.unknown().with(HavenState.Activity.ERROR, OptionalInt.empty()));
      assertFalse(mqtt.status().connected());
    }
  }

  @Test
  void brokerRestartIsSurvivedAndEverythingIsPublishedAgain() throws Exception {
    MqttConfig c = config("restart", goodPassword);
    try (HavenMqtt mqtt = start(c, new RecordingCommands())) {
      try (Listener ha = new Listener(broker, c.baseTopic() + "/#")) {
        ha.awaitOn("haven-restart/availability", "online"::equals);
      }
      broker.stop();
      broker.start(); // no persistence: every retained message is gone
      mqtt.publish(HavenState.unknown().with(HavenState.Activity.VERIFYING, OptionalInt.of(7)));
      try (Listener ha = new Listener(broker, c.baseTopic() + "/#", c.discoveryPrefix() + "/#")) {
        ha.awaitOn("haven-restart/availability", "online"::equals);
        ha.awaitOn("haven-restart/state", p -> p.contains("\"state\":\"verifying\""));
        ha.awaitOn("ha-restart/button/restart/create_full_backup/config", p -> true);
      }
      assertTrue(mqtt.status().connected());
    }
  }

  @Test
  void brokerAbsentAtStartBlocksNothingAndTheLatestStateArrivesLater() throws Exception {
    MqttConfig c = config("absent", goodPassword);
    broker.stop();
    HavenMqtt mqtt;
    try {
      mqtt = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
        HavenMqtt m = start(c, new RecordingCommands());
        for (int p = 0; p <= 100; p++) {
          m.publish(HavenState.unknown().with(HavenState.Activity.BACKING_UP, OptionalInt.of(p)));
        }
        return m;
      }, "start and publish return at once without a broker");
      awaitProblem(mqtt, MqttFailure.Unreachable.class);
      assertFalse(mqtt.status().connected());
    } finally {
      broker.start();
    }
    try (mqtt; Listener ha = new Listener(broker, c.baseTopic() + "/#")) {
      JsonNode state = JSON.readTree(ha.awaitOn("haven-absent/state", p -> true).payload());
      assertEquals(100, state.path("progress").asInt(), "the latest state is kept: " + state);
      assertEquals("backing up", state.path("state").asText());
    }
  }

  @Test
  void wrongPasswordIsLoggedOnceAndNeverThrown() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong-password"), "not the password\n");
    MqttConfig c = config("wrongpw", wrong);
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    MqttFailure problem;
    int refusedBefore = refusedLogins();
    try (HavenMqtt mqtt = start(c, new RecordingCommands())) {
      mqtt.publish(HavenState.unknown().with(HavenState.Activity.BACKING_UP, OptionalInt.of(1)));
      problem = awaitProblem(mqtt, MqttFailure.Refused.class);
      awaitBrokerLog(refusedBefore + 3); // three refused attempts, one log line
    } finally {
      System.setErr(err);
    }
    String expected = "MQTT broker " + broker.url() + " refused user 'haven': bad user name or"
        + " password, or not authorized. Check mqtt.user and the password in " + wrong + ".";
    assertEquals(expected, problem.getMessage());
    String log = captured.toString(StandardCharsets.UTF_8);
    assertEquals(1, count(log, expected), log);
  }

  private static MqttFailure awaitProblem(HavenMqtt mqtt, Class<? extends MqttFailure> type)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      Optional<MqttFailure> p = mqtt.status().problem();
      if (p.isPresent() && type.isInstance(p.get())) {
        return p.get();
      }
      Thread.sleep(20);
    }
    fail("status never showed " + type.getSimpleName() + ": " + mqtt.status());
    return null;
  }

  private static int refusedLogins() throws IOException {
    // Mosquitto names no client id for a refused login: "Client <unknown> disconnected, ..."
    return count(Files.readString(dir.resolve("mosquitto.log")), "disconnected, not authorised");
  }

  private static void awaitBrokerLog(int refused) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (refusedLogins() < refused) {
      if (System.nanoTime() > deadline) {
        fail("the broker saw fewer refused logins than " + refused);
      }
      Thread.sleep(20);
    }
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  /** The discovery topics in the order they arrived. */
  private static List<String> configTopics(Listener ha, MqttConfig c) {
    List<String> topics = new ArrayList<>();
    for (String t : ha.topics()) {
      if (t.startsWith(c.discoveryPrefix() + "/")) {
        topics.add(t);
      }
    }
    return topics;
  }

  private static void assertDevice(JsonNode d) {
    assertEquals("haven_discovery", d.path("identifiers").get(0).asText());
    assertEquals("Haven", d.path("name").asText());
    assertEquals("Haven backup agent", d.path("model").asText());
    assertEquals("Haven", d.path("manufacturer").asText());
    assertFalse(d.path("sw_version").asText().isEmpty());
    assertEquals("http://haven.local:8099/", d.path("configuration_url").asText());
  }

  private static void assertTemplateKeyIn(JsonNode state, String template) {
    Matcher m = Pattern.compile("\\{\\{ value_json\\.(\\w+) }}").matcher(template);
    assertTrue(m.matches(), template);
    assertTrue(state.has(m.group(1)), "state has " + m.group(1) + ": " + state);
  }
}
