package io.haven.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A separate client, as Home Assistant is: records what arrives and presses buttons. */
final class Listener implements AutoCloseable {
  /** One message as the broker delivered it. */
  record Message(String topic, String payload, boolean retained) {}

  private static final long WAIT_SECONDS = 15;
  private final MqttClient client;
  private final List<Message> messages = new ArrayList<>(); // guarded by this

  Listener(Mosquitto broker, String... filters) throws MqttException {
    client = new MqttClient(broker.tcp(), "listener-" + System.nanoTime(), new MemoryPersistence());
    client.setCallback(new MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {}

      @Override
      public void messageArrived(String topic, MqttMessage m) {
        synchronized (Listener.this) {
          messages.add(new Message(topic, new String(m.getPayload(), UTF_8), m.isRetained()));
          Listener.this.notifyAll();
        }
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {}
    });
    MqttConnectOptions o = new MqttConnectOptions();
    o.setUserName(Mosquitto.USER);
    o.setPassword(Mosquitto.PASSWORD.toCharArray());
    o.setCleanSession(true);
    client.connect(o);
    for (String f : filters) {
      client.subscribe(f, 1);
    }
  }

  /** Waits for the first message (from the start) that matches; fails after a while. */
  synchronized Message await(String what, Predicate<Message> p) throws InterruptedException {
    return awaitAfter(0, what, p);
  }

  /** The latest payload on {@code topic} once one matches; waits for it. */
  synchronized Message awaitOn(String topic, Predicate<String> payload)
      throws InterruptedException {
    return await(topic + " matching", m -> m.topic().equals(topic) && payload.test(m.payload()));
  }

  synchronized Message awaitAfter(int index, String what, Predicate<Message> p)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (true) {
      for (int i = index; i < messages.size(); i++) {
        if (p.test(messages.get(i))) {
          return messages.get(i);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        fail("No message: " + what + ". Received: " + messages);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  synchronized int count() {
    return messages.size();
  }

  /** Every topic that received a message, each once, in order of the first message. */
  synchronized List<String> topics() {
    List<String> out = new ArrayList<>();
    for (Message m : messages) {
      if (!out.contains(m.topic())) {
        out.add(m.topic());
      }
    }
    return out;
  }

  synchronized List<Message> on(String topic) {
    List<Message> out = new ArrayList<>();
    for (Message m : messages) {
      if (m.topic().equals(topic)) {
        out.add(m);
      }
    }
    return out;
  }

  synchronized Optional<Message> latest(String topic) {
    List<Message> on = on(topic);
    return on.isEmpty() ? Optional.empty() : Optional.of(on.get(on.size() - 1));
  }

  void send(String topic, String payload, boolean retained) throws MqttException {
    client.publish(topic, payload.getBytes(UTF_8), 1, retained);
  }

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      client.disconnect();
    }
    client.close();
  }
}
