package io.haven.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.haven.failure.ExpectedFailure;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns button presses into {@link Commands} calls on one thread of its own, so a backup that
 * takes an hour never holds up the MQTT client's callback thread (which would stop keep-alives
 * and drop the connection).
 */
final class CommandRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);

  private interface Action {
    void run() throws Exception;
  }

  private final Topics topics;
  private final Commands commands;
  // One command runs and one waits; a third press while both are taken is dropped, not queued.
  private final ThreadPoolExecutor thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
      new ArrayBlockingQueue<>(1), r -> {
        Thread t = new Thread(r, "haven-mqtt-commands");
        t.setDaemon(true);
        return t;
      });

  CommandRunner(Topics topics, Commands commands) {
    this.topics = topics;
    this.commands = commands;
  }

  /** Called on the MQTT client's thread; returns at once and never throws. */
  void arrived(String topic, MqttMessage message) {
    String name = topics.commandOf(topic);
    String payload = new String(message.getPayload(), UTF_8);
    if (message.isRetained()) {
      // A retained press would start a backup again on every reconnect.
      LOG.warn("Ignored a retained message on {}: button presses must not be retained. Clear it"
          + " with: mosquitto_pub -r -n -t '{}'", topic, topic);
      return;
    }
    if (!Topics.PRESS.equals(payload)) {
      LOG.warn("Ignored '{}' on {}: a button sends {}.", payload, topic, Topics.PRESS);
      return;
    }
    Action action = action(name);
    if (action == null) {
      LOG.warn("Ignored a press on {}: Haven has no command '{}'.", topic, name);
      return;
    }
    try {
      thread.execute(() -> run(name, action));
    } catch (RejectedExecutionException e) {
      LOG.warn("Ignored '{}' from Home Assistant: a command is running and another is waiting.",
          name);
    }
  }

  private Action action(String name) {
    if (Discovery.CREATE_FULL_BACKUP.equals(name)) {
      return commands::createFullBackup;
    }
    if (Discovery.VERIFY_LATEST_BACKUP.equals(name)) {
      return commands::verifyLatest;
    }
    return null;
  }

  private static void run(String name, Action action) {
    LOG.info("Home Assistant pressed '{}'.", name);
    try {
      action.run();
    } catch (Exception e) {
      if (e instanceof ExpectedFailure) {
        LOG.warn("'{}' from Home Assistant failed: {}", name, e.getMessage());
      } else {
        LOG.error("'{}' from Home Assistant failed with a bug; please report it.", name, e);
      }
    }
  }

  /** Lets a running command finish; drops a waiting one. */
  @Override
  public void close() {
    thread.getQueue().clear();
    thread.shutdown();
  }
}
