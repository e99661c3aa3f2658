package io.haven.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Haven as a Home Assistant device over MQTT. {@link #start} returns at once and connects in the
 * background; on every connect it publishes "online" to {@code <base>/availability} (the last will
 * publishes "offline" there when the process dies), the retained discovery configs and the latest
 * state, and listens for button presses, which it hands to {@link Commands}.
 *
 * <p>Nothing here blocks or throws because of the broker: {@link #publish} only records the state
 * and returns; while disconnected only the latest state is kept and sent on the next connect.
 * Connection failures are retried with a doubling delay and logged once per outage and reason;
 * {@link #status()} tells why. Thread-safe.
 */
public final class HavenMqtt implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HavenMqtt.class);
  private static final int QOS = 1;

  /** How often and how soon things happen; tests shorten them. */
  record Timing(Duration minInterval, Duration refresh, Duration firstRetry, Duration maxRetry) {
    static final Timing DEFAULT = new Timing(Duration.ofSeconds(1), Duration.ofMinutes(1),
        Duration.ofSeconds(1), Duration.ofMinutes(2));
  }

  private final MqttConfig config;
  private final Topics topics;
  private final Discovery discovery;
  private final Clock clock;
  private final Timing timing;
  private final CommandRunner commands;
  private final MqttAsyncClient client;
  // The one thread that connects and publishes; it never waits on the network.
  private final ScheduledExecutorService io = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "haven-mqtt");
    t.setDaemon(true);
    return t;
  });

  private final Object lock = new Object();
  private HavenState latest; // guarded by lock
  private boolean flushPending; // guarded by lock
  private volatile long lastSentNanos = System.nanoTime() - Duration.ofDays(1).toNanos();
  private volatile MqttStatus status = new MqttStatus(false, Optional.empty());
  private volatile boolean closed;
  private Duration retry; // io thread only
  private String lastLogged; // io thread only: the failure already logged in this outage
  private HavenState lastSent; // io thread only

  private HavenMqtt(MqttConfig config, HavenState initial, Commands commands, Clock clock,
      Timing timing) {
    this.config = config;
    this.topics = Topics.of(config);
    this.discovery = new Discovery(config, topics, version());
    this.clock = clock;
    this.timing = timing;
    this.latest = initial;
    this.retry = timing.firstRetry();
    this.commands = new CommandRunner(topics, commands);
    try {
      this.client = new MqttAsyncClient(config.serverUri(), "haven-" + config.nodeId(),
          new MemoryPersistence());
    } catch (MqttException e) {
      throw new IllegalArgumentException("Cannot set up an MQTT client for " + config.broker(), e);
    }
    client.setCallback(new Callback());
  }

  /**
   * Starts connecting in the background and returns at once, broker up or not. {@code initial}
   * is published on the first connect unless a newer state arrives first.
   */
  public static HavenMqtt start(MqttConfig config, HavenState initial, Commands commands) {
    return start(config, initial, commands, Clock.systemUTC(), Timing.DEFAULT);
  }

  static HavenMqtt start(MqttConfig config, HavenState initial, Commands commands, Clock clock,
      Timing timing) {
    HavenMqtt m = new HavenMqtt(Objects.requireNonNull(config), Objects.requireNonNull(initial),
        Objects.requireNonNull(commands), clock, timing);
    m.io.execute(m::connect);
    long refresh = timing.refresh().toMillis();
    // Republishing keeps "backup stale" current and shows a long job is alive.
    m.io.scheduleWithFixedDelay(m::resendLatest, refresh, refresh, TimeUnit.MILLISECONDS);
    return m;
  }

  /**
   * Records Haven's state and returns at once. A change of activity is sent as is, so Home
   * Assistant sees idle → backing up → idle even for a short job; other changes (progress) are
   * sent at most once per second, the latest one winning. Does nothing after {@link #close()}.
   */
  public void publish(HavenState state) {
    Objects.requireNonNull(state, "state");
    boolean activityChanged;
    synchronized (lock) {
      activityChanged = state.activity() != latest.activity();
      latest = state;
      if (!activityChanged && flushPending) {
        return;
      }
      flushPending |= !activityChanged;
    }
    try {
      if (activityChanged) {
        io.execute(() -> send(state));
      } else {
        long wait = lastSentNanos + timing.minInterval().toNanos() - System.nanoTime();
        io.schedule(this::sendLatestIfNew, Math.max(0, wait), TimeUnit.NANOSECONDS);
      }
    } catch (RejectedExecutionException e) {
      // closed: nothing is published any more
    }
  }

  /** Whether Haven is connected, and why not. */
  public MqttStatus status() {
    return status;
  }

  /**
   * Publishes "offline" (when connected) and disconnects, waiting a few seconds at most. A command
   * that is running goes on; one waiting is dropped.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      io.submit(this::goOffline).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("Closing the MQTT connection to {}", config.broker(), e);
    }
    io.shutdownNow();
    commands.close();
  }

  private void connect() {
    if (closed) {
      return;
    }
    try {
      client.connect(options(), null, new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          onIo(HavenMqtt.this::online);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
          onIo(() -> failed(Failures.connecting(config, e)));
        }
      });
    } catch (MqttException e) {
      failed(Failures.connecting(config, e));
    } catch (MqttFailure e) {
      failed(e);
    }
  }

  private MqttConnectOptions options() throws MqttFailure {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(true);
    o.setAutomaticReconnect(false); // our own loop: it also covers a broker that is down at start
    o.setConnectionTimeout(10);
    o.setKeepAliveInterval(30);
    o.setMaxInflight(64); // discovery alone is a dozen messages in flight
    o.setWill(topics.availability(), Topics.OFFLINE.getBytes(UTF_8), QOS, true);
    config.user().ifPresent(o::setUserName);
    if (config.passwordFile().isPresent()) {
      o.setPassword(readPassword().toCharArray());
    }
    return o;
  }

  // Read at each connect, so a changed password file takes effect without a restart.
  private String readPassword() throws MqttFailure {
    try (BufferedReader r = Files.newBufferedReader(config.passwordFile().orElseThrow(), UTF_8)) {
      String line = r.readLine();
      return line == null ? "" : line.strip();
    } catch (IOException e) {
      throw new MqttFailure.BadConfig("Cannot read the MQTT password file "
          + config.passwordFile().get() + " (" + e + "). Put the broker password on its first"
          + " line, or remove mqtt.password_file.", e);
    }
  }

  private void online() {
    status = new MqttStatus(true, Optional.empty());
    retry = timing.firstRetry();
    LOG.info(lastLogged == null ? "Connected to MQTT broker {}." : "Connected to MQTT broker {}"
        + " again.", config.broker());
    lastLogged = null;
    try {
      client.subscribe(topics.commandFilter(), QOS);
    } catch (MqttException e) {
      LOG.warn("Cannot listen for Home Assistant's button presses on {}: {}",
          topics.commandFilter(), e.toString());
    }
    send(topics.availability(), Topics.ONLINE);
    for (Map.Entry<String, String> c : discovery.configs().entrySet()) {
      send(c.getKey(), c.getValue());
    }
    resendLatest();
  }

  private void failed(MqttFailure f) {
    status = new MqttStatus(false, Optional.of(f));
    if (closed) {
      return;
    }
    if (!f.getMessage().equals(lastLogged)) {
      LOG.warn("{} Retrying in the background; backups go on without MQTT.", f.getMessage());
      lastLogged = f.getMessage();
    }
    io.schedule(this::connect, retry.toMillis(), TimeUnit.MILLISECONDS);
    Duration doubled = retry.multipliedBy(2);
    retry = doubled.compareTo(timing.maxRetry()) > 0 ? timing.maxRetry() : doubled;
  }

  private void sendLatestIfNew() {
    HavenState s;
    synchronized (lock) {
      flushPending = false;
      s = latest;
    }
    if (s != lastSent) {
      send(s);
    }
  }

  private void resendLatest() {
    HavenState s;
    synchronized (lock) {
      s = latest;
    }
    send(s);
  }

  private void send(HavenState s) {
    if (client.isConnected()) {
      send(topics.state(), StateJson.of(s, clock.instant(), config.staleAfter()));
      lastSent = s;
      lastSentNanos = System.nanoTime();
    }
  }

  private void send(String topic, String payload) {
    try {
      client.publish(topic, payload.getBytes(UTF_8), QOS, true);
    } catch (MqttException e) {
      // The connection just broke; connectionLost reconnects and republishes everything.
      LOG.debug("Not published to {}: {}", topic, e.toString());
    }
  }

  private void goOffline() {
    status = new MqttStatus(false, Optional.empty());
    try {
      if (client.isConnected()) {
        client.publish(topics.availability(), Topics.OFFLINE.getBytes(UTF_8), QOS, true)
            .waitForCompletion(2000);
        client.disconnect(1000).waitForCompletion(2000);
      }
    } catch (MqttException e) {
      LOG.debug("Saying offline to {}", config.broker(), e);
    } finally {
      try {
        client.close(true);
      } catch (MqttException e) {
        LOG.debug("Closing the MQTT client for {}", config.broker(), e);
      }
    }
  }

  /** Runs {@code task} on the io thread; after close there is none, and nothing to do. */
  private void onIo(Runnable task) {
    try {
      io.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.debug("MQTT client for {} is closed", config.broker());
    }
  }

  private static String version() {
    return Optional.ofNullable(HavenMqtt.class.getPackage().getImplementationVersion())
        .orElse("dev");
  }

  private final class Callback implements MqttCallback {
    @Override
    public void connectionLost(Throwable cause) {
      onIo(() -> failed(Failures.lost(config, cause)));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      commands.arrived(topic, message);
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}
  }
}
