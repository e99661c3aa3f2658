package io.haven.mqtt;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** A Haven that connects and then waits to be killed; args: broker, password file, node id. */
public final class MqttChild {
  private MqttChild() {}

  public static void main(String[] args) throws Exception {
    MqttConfig c = new MqttConfig(URI.create(args[0]), Optional.of(Mosquitto.USER),
        Optional.of(Path.of(args[1])), "child-ha", "child/" + args[2], args[2],
        Duration.ofDays(3), Optional.empty());
    HavenMqtt.start(c, HavenState.unknown(), new Commands() {
      @Override
      public void createFullBackup() {}

      @Override
      public void verifyLatest() {}
    });
    Thread.sleep(Long.MAX_VALUE);
  }
}
