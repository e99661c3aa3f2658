package io.haven.mqtt;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Haven reaches the MQTT broker and where it publishes. The password is never part of the
 * config: it is read from {@code passwordFile} at each connect, so the YAML file can be shared.
 *
 * @param broker {@code mqtt://host[:1883]} or {@code mqtts://host[:8883]} (TLS, JVM trust store)
 * @param user the broker user; empty for an anonymous broker
 * @param passwordFile a file whose first line is the password
 * @param discoveryPrefix Home Assistant's discovery prefix, {@code homeassistant} by default
 * @param baseTopic where state, availability and commands live, {@code haven} by default
 * @param nodeId this device among others on the broker; part of unique ids and the client id
 * @param staleAfter the "backup stale" sensor turns on when no good backup is younger than this
 * @param configurationUrl the web panel, linked from the device page in Home Assistant
 */
public record MqttConfig(URI broker, Optional<String> user, Optional<Path> passwordFile,
    String discoveryPrefix, String baseTopic, String nodeId, Duration staleAfter,
    Optional<URI> configurationUrl) {

  public static final String DEFAULT_DISCOVERY_PREFIX = "homeassistant";
  public static final String DEFAULT_BASE_TOPIC = "haven";
  public static final String DEFAULT_NODE_ID = "haven";
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofDays(3);

  static final List<String> KEYS = List.of("broker", "user", "password_file", "discovery_prefix",
      "base_topic", "node_id", "stale_after", "configuration_url");

  // Topic levels must not hold wildcards; node ids are what Home Assistant allows in a topic level.
  private static final Pattern TOPIC = Pattern.compile("[^#+/\\s][^#+\\s]*(?<!/)");
  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*([dhms])");

  public MqttConfig {
    checkBroker(broker);
    requireNonNull(user, passwordFile, configurationUrl);
    check(TOPIC.matcher(discoveryPrefix).matches(), "discovery_prefix", discoveryPrefix,
        "a topic without +, # or a leading/trailing /");
    check(TOPIC.matcher(baseTopic).matches(), "base_topic", baseTopic,
        "a topic without +, # or a leading/trailing /");
    check(NODE_ID.matcher(nodeId).matches(), "node_id", nodeId, "letters, digits, _ and -");
    check(!staleAfter.isNegative() && !staleAfter.isZero(), "stale_after", staleAfter,
        "a positive duration");
    configurationUrl.ifPresent(u -> check(
        ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null,
        "configuration_url", u, "an http:// or https:// URL"));
  }

  /** A config with every default; for tests and the agent's first run. */
  public static MqttConfig of(URI broker) {
    return new MqttConfig(broker, Optional.empty(), Optional.empty(), DEFAULT_DISCOVERY_PREFIX,
        DEFAULT_BASE_TOPIC, DEFAULT_NODE_ID, DEFAULT_STALE_AFTER, Optional.empty());
  }

  /**
   * Reads the YAML {@code mqtt:} section. Relative password files are resolved against
   * {@code base} (the config file's folder). {@code stale_after} is {@code 3d}, {@code 36h},
   * {@code 90m}, {@code 45s} or ISO-8601 ({@code P3D}).
   *
   * @throws MqttFailure.BadConfig naming the unknown key or the bad value
   */
  public static MqttConfig parse(Map<String, ?> section, Path base) throws MqttFailure.BadConfig {
    Map<String, Object> s = new HashMap<>(section);
    s.keySet().removeAll(KEYS);
    if (!s.isEmpty()) {
      throw new MqttFailure.BadConfig("Unknown key 'mqtt." + s.keySet().iterator().next()
          + "'. Known keys under mqtt: " + KEYS + ".", null);
    }
    try {
      return new MqttConfig(uri("broker", string(section, "broker").orElseThrow(
              () -> new IllegalArgumentException("mqtt.broker is missing: set it to"
                  + " mqtt://host:1883, or remove the mqtt section to turn MQTT off"))),
          string(section, "user"),
          string(section, "password_file").map(base::resolve),
          string(section, "discovery_prefix").orElse(DEFAULT_DISCOVERY_PREFIX),
          string(section, "base_topic").orElse(DEFAULT_BASE_TOPIC),
          string(section, "node_id").orElse(DEFAULT_NODE_ID),
          string(section, "stale_after").map(MqttConfig::duration).orElse(DEFAULT_STALE_AFTER),
          string(section, "configuration_url").map(u -> uri("configuration_url", u)));
    } catch (IllegalArgumentException e) {
      throw new MqttFailure.BadConfig("Invalid config: " + e.getMessage() + ".", e);
    }
  }

  /** The address in Paho's form: {@code tcp://host:port} or {@code ssl://host:port}. */
  String serverUri() {
    boolean tls = "mqtts".equals(broker.getScheme());
    int port = broker.getPort() != -1 ? broker.getPort() : tls ? 8883 : 1883;
    return (tls ? "ssl://" : "tcp://") + broker.getHost() + ":" + port;
  }

  private static void checkBroker(URI broker) {
    String scheme = broker.getScheme();
    check("mqtt".equals(scheme) || "mqtts".equals(scheme), "broker", broker,
        "mqtt://host[:port] or mqtts://host[:port]");
    check(broker.getHost() != null, "broker", broker, "a URL with a host name");
    // A password in the URL would end up in logs and in the YAML file people paste into issues.
    check(broker.getUserInfo() == null, "broker", broker,
        "a URL without user:password@ (use mqtt.user and mqtt.password_file)");
    check(broker.getRawPath() == null || broker.getRawPath().isEmpty()
        || "/".equals(broker.getRawPath()), "broker", broker, "a URL without a path");
  }

  private static void requireNonNull(Object... values) {
    for (Object v : values) {
      if (v == null) {
        throw new NullPointerException("use Optional.empty() for a missing value");
      }
    }
  }

  private static void check(boolean ok, String key, Object value, String expected) {
    if (!ok) {
      throw new IllegalArgumentException("mqtt." + key + " must be " + expected + ", not '"
          + value + "'");
    }
  }

  private static Optional<String> string(Map<String, ?> section, String key) {
    Object v = section.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Map || v instanceof List) {
      throw new IllegalArgumentException("mqtt." + key + " must be a single value, not " + v);
    }
    return Optional.of(v.toString().trim()).filter(t -> !t.isEmpty());
  }

  private static URI uri(String key, String text) {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("mqtt." + key + " is not a URL: '" + text + "'", e);
    }
  }

  static Duration duration(String text) {
    Matcher m = SHORT_DURATION.matcher(text.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "d": return Duration.ofDays(n);
        case "h": return Duration.ofHours(n);
        case "m": return Duration.ofMinutes(n);
        default: return Duration.ofSeconds(n);
      }
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("mqtt.stale_after must look like 3d, 36h, 90m or P3D,"
          + " not '" + text + "'", e);
    }
  }
}
