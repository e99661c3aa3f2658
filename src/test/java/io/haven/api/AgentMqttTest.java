package io.haven.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.haven.config.Config;
import io.haven.mqtt.MqttConfig;
import io.haven.testing.GenData;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent with an mqtt: config against a real Mosquitto, watched as Home Assistant would. */
class AgentMqttTest {
  private static final String USER = "haven";
  private static final String PASSWORD = "broker pass";

  @TempDir Path tmp;

  @Test
  void createFullBackupButtonMakesABackupTheApiLists() throws Exception {
    Path mosquitto = program("mosquitto");
    Path passwd = program("mosquitto_passwd");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path dir = Files.createDirectories(tmp.resolve("broker"));
    run(passwd.toString(), "-b", "-c", dir.resolve("passwd").toString(), USER, PASSWORD);
    Files.writeString(dir.resolve("mosquitto.conf"), "listener " + port + " 127.0.0.1\n"
        + "allow_anonymous false\npassword_file " + dir.resolve("passwd") + "\n"
        + "persistence false\nuser " + System.getProperty("user.name") + "\n");
    Process broker = new ProcessBuilder(mosquitto.toString(), "-c",
        dir.resolve("mosquitto.conf").toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("log").toFile()).start();
    try {
      awaitListening(port, broker);
      Path passwordFile = Files.writeString(tmp.resolve("mqtt-password"), PASSWORD + "\n");
      MqttConfig mqtt = new MqttConfig(URI.create("mqtt://127.0.0.1:" + port),
          Optional.of(USER), Optional.of(passwordFile), "homeassistant", "haven", "haven",
          Duration.ofDays(3), Optional.empty());
      Config base = RunningAgent.config(GenData.copyTo(tmp.resolve("root"), 1),
          tmp.resolve("backup"));
      Config config = base.withMqtt(Optional.of(mqtt));
      pressAndWatch(port, config);
    } finally {
      broker.destroy();
      broker.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private void pressAndWatch(int port, Config config) throws Exception {
    List<String> states = new ArrayList<>();
    MqttClient ha = new MqttClient("tcp://127.0.0.1:" + port, "ha-test", new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setUserName(USER);
    o.setPassword(PASSWORD.toCharArray());
    ha.connect(o);
    ha.subscribe("haven/state", (topic, m) -> {
      synchronized (states) {
        states.add(new String(m.getPayload(), UTF_8));
        states.notifyAll();
      }
    });
    try (RunningAgent agent = new RunningAgent(config)) {
      JsonNode first = awaitState(states, s -> true);
      assertEquals("idle", first.get("state").asText(), first.toString());
      assertEquals(0, first.get("backups").asInt());

      ha.publish("haven/command/create_full_backup", "PRESS".getBytes(UTF_8), 1, false);
      awaitState(states, s -> s.get("state").asText().equals("backing up"));
      JsonNode done = awaitState(states, s -> s.get("state").asText().equals("idle")
          && s.get("backups").asInt() == 1);
      JsonNode list = agent.get("/backups").data().get("backups");
      assertEquals(1, list.size());
      assertEquals("full", list.get(0).get("type").asText());
      assertEquals(list.get(0).get("name").asText(), done.get("last_backup_name").asText());
      assertEquals(list.get(0).get("size_bytes").asLong(), done.get("last_backup_size").asLong());
      assertTrue(done.get("free_space").asLong() > 0, done.toString());
    } finally {
      ha.disconnect();
      ha.close();
    }
  }

  private static JsonNode awaitState(List<String> states,
      java.util.function.Predicate<JsonNode> wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int seen = 0;
    synchronized (states) {
      while (true) {
        for (; seen < states.size(); seen++) {
          JsonNode s = Wire.JSON.readTree(states.get(seen));
          if (wanted.test(s)) {
            states.subList(0, seen + 1).clear();
            return s;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          fail("no such state on haven/state; saw " + states);
        }
        states.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
      }
    }
  }

  private static void awaitListening(int port, Process broker) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        if (!broker.isAlive() || System.nanoTime() > deadline) {
          fail("mosquitto did not listen on " + port);
        }
        Thread.sleep(20);
      }
    }
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    if (p.waitFor() != 0) {
      fail(List.of(command) + " failed: " + out);
    }
  }

  private static Path program(String name) {
    for (String d : List.of("/usr/sbin", "/usr/bin")) {
      if (Files.isExecutable(Path.of(d, name))) {
        return Path.of(d, name);
      }
    }
    String why = name + " is missing: apt-get install mosquitto";
    if ("1".equals(System.getenv("HAVEN_TEST_DISALLOW_SKIP"))) {
      fail(why);
    }
    Assumptions.assumeTrue(false, why);
    throw new AssertionError(why);
  }
}
