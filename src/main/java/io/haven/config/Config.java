package io.haven.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.haven.archive.Compression;
import io.haven.device.LedConfig;
import io.haven.mqtt.MqttConfig;
import io.haven.mqtt.MqttFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where Haven's data lives and how it works. Sources, later ones winning: the embedded default
 * (everything under {@code ./haven-data/}), the YAML file ({@code --config}, {@code HAVEN_CONFIG},
 * or {@code /etc/haven/haven.yaml} when it exists), then {@code HAVEN_DATA_ROOT} and
 * {@code HAVEN_BACKUP_DIR}, {@code HAVEN_API_LISTEN}, {@code HAVEN_API_TOKEN},
 * {@code HAVEN_SOCKET}, {@code HAVEN_SYS_ROOT} and {@code HAVEN_LOCATIONS_FILE}. Unknown keys and
 * bad values fail at start with the key named.
 *
 * @param agent how the agent is reached (HTTP API, token, socket)
 * @param sysRoot where the device's /sys, /proc and /dev are read ("/" on a device; tests point it
 *     at a directory laid out like them)
 * @param services what runs beside Haven and is stopped and started around a restore
 * @param mqtt the broker Haven appears on in Home Assistant; empty (MQTT off) unless the file has
 *     an {@code mqtt:} section
 * @param offsite the locations file (named locations with their secrets, mode 0600:
 *     {@code locations.yaml} beside the config file when there is one, else beside the backup
 *     directory, the one {@code HAVEN_BACKUP_DIR} names when set; {@code locations_file} or
 *     {@code HAVEN_LOCATIONS_FILE} place it elsewhere), the schedule and the retention, and under
 *     {@code location_overrides:} each named location's own schedule and retention (the
 *     locations file's {@code locations:} holds the connections those names stand for; the
 *     older name {@code locations:} in haven.yaml is still read, with a warning)
 * @param excludes the user's globs of files and folders every backup leaves out
 *     ({@code excludes: [media/frigate/**, "*.log"]}), relative to the data root; checked by
 *     the service, which knows the glob rules
 * @param led the status LED the agent drives ({@code led: {kind: gpio|sysfs|none, pin: 17,
 *     name: ACT}}); none unless configured
 * @param warnings what the file says in an older way that still works, one sentence each; the
 *     command line prints them
 */
public record Config(Path dataRoot, Path backupDir, Compression compression,
    int compressionWorkers, Agent agent, Path sysRoot, Services services,
    Optional<MqttConfig> mqtt, Offsite offsite, LedConfig led, List<String> excludes,
    List<String> warnings) {

  public static final Path DEVICE_CONFIG = Path.of("/etc/haven/haven.yaml");
  static final String LOCATIONS_FILE = "locations.yaml";
  /** The key of each named location's own schedule and retention in haven.yaml. */
  public static final String LOCATION_OVERRIDES = "location_overrides";
  /** Its older name, which meant connections in the locations file and overrides here. */
  public static final String OLD_LOCATION_OVERRIDES = "locations";

  public Config {
    if (compressionWorkers < 1 || compressionWorkers > 64) {
      throw new IllegalArgumentException("compression_workers must be 1 to 64, not "
          + compressionWorkers);
    }
    sysRoot = sysRoot == null ? Path.of("/") : sysRoot;
    services = services == null ? Services.NONE : services;
    Objects.requireNonNull(mqtt, "mqtt");
    led = led == null ? LedConfig.none() : led;
    excludes = excludes == null ? List.of() : List.copyOf(excludes);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  /** As the canonical constructor, without a status LED. */
  public Config(Path dataRoot, Path backupDir, Compression compression, int compressionWorkers,
      Agent agent, Path sysRoot, Services services, Optional<MqttConfig> mqtt, Offsite offsite) {
    this(dataRoot, backupDir, compression, compressionWorkers, agent, sysRoot, services, mqtt,
        offsite, LedConfig.none(), List.of(), List.of());
  }

  /**
   * The agent's defaults (API on loopback, token file and socket in the backup directory), the
   * real device, no service commands, no MQTT, no schedule or retention, and the locations file
   * beside the backup directory.
   */
  public Config(Path dataRoot, Path backupDir, Compression compression, int compressionWorkers) {
    this(dataRoot, backupDir, compression, compressionWorkers, Agent.DEFAULT);
  }

  /** As above, with the agent reached as {@code agent} says. */
  public Config(Path dataRoot, Path backupDir, Compression compression, int compressionWorkers,
      Agent agent) {
    this(dataRoot, backupDir, compression, compressionWorkers, agent, Path.of("/"), Services.NONE,
        Optional.empty(), Offsite.none(besideBackupDir(backupDir)));
  }

  /** This configuration with other services. */
  public Config withServices(Services s) {
    return toBuilder().services(s).build();
  }

  /** This configuration with another broker, or none. */
  public Config withMqtt(Optional<MqttConfig> m) {
    return toBuilder().mqtt(m).build();
  }

  /** This configuration with another locations file, schedule and retention. */
  public Config withOffsite(Offsite o) {
    return toBuilder().offsite(o).build();
  }

  /**
   * This configuration with the schedule, retention, per-location settings and automatic
   * content of {@code other} (the config file read again after the web panel saved it); the
   * locations file stays this one's, which the environment may have placed.
   */
  public Config withSettingsOf(Config other) {
    Offsite o = other.offsite();
    return withOffsite(new Offsite(offsite.locationsFile(), o.schedule(), o.retention(),
        o.locations(), o.content()));
  }

  /** This configuration reading the device below {@code root}. */
  public Config withSysRoot(Path root) {
    return toBuilder().sysRoot(root).build();
  }

  /** This configuration with another status LED. */
  public Config withLed(LedConfig l) {
    return toBuilder().led(l).build();
  }

  /** A builder holding this configuration's values, to change some and build another. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Changes some of a configuration's values: the one place that lists every field beside the
   * record itself, so a new field is added here and in the record, and nowhere else.
   * {@link #build()} checks the values as the record does.
   */
  public static final class Builder {
    private Path dataRoot;
    private Path backupDir;
    private Compression compression;
    private int compressionWorkers;
    private Agent agent;
    private Path sysRoot;
    private Services services;
    private Optional<MqttConfig> mqtt;
    private Offsite offsite;
    private LedConfig led;
    private List<String> excludes;
    private List<String> warnings;

    private Builder(Config c) {
      dataRoot = c.dataRoot;
      backupDir = c.backupDir;
      compression = c.compression;
      compressionWorkers = c.compressionWorkers;
      agent = c.agent;
      sysRoot = c.sysRoot;
      services = c.services;
      mqtt = c.mqtt;
      offsite = c.offsite;
      led = c.led;
      excludes = c.excludes;
      warnings = c.warnings;
    }

    public Builder dataRoot(Path v) {
      dataRoot = v;
      return this;
    }

    public Builder backupDir(Path v) {
      backupDir = v;
      return this;
    }

    public Builder compression(Compression v) {
      compression = v;
      return this;
    }

    public Builder compressionWorkers(int v) {
      compressionWorkers = v;
      return this;
    }

    public Builder agent(Agent v) {
      agent = v;
      return this;
    }

    public Builder sysRoot(Path v) {
      sysRoot = v;
      return this;
    }

    public Builder services(Services v) {
      services = v;
      return this;
    }

    public Builder mqtt(Optional<MqttConfig> v) {
      mqtt = v;
      return this;
    }

    public Builder offsite(Offsite v) {
      offsite = v;
      return this;
    }

    public Builder led(LedConfig v) {
      led = v;
      return this;
    }

    public Builder excludes(List<String> v) {
      excludes = v;
      return this;
    }

    public Builder warnings(List<String> v) {
      warnings = v;
      return this;
    }

    public Config build() {
      return new Config(dataRoot, backupDir, compression, compressionWorkers, agent, sysRoot,
          services, mqtt, offsite, led, excludes, warnings);
    }
  }

  /**
   * How the agent is reached.
   *
   * @param listenHost the HTTP API's address; loopback unless the user opens it up on purpose
   * @param listenPort the HTTP API's port; 0 picks a free one (tests)
   * @param token the API token itself (HAVEN_API_TOKEN); empty means read or make the token file
   * @param tokenFile where the token is kept; empty means {@code <backup dir>/.haven-api-token}
   * @param socket the Unix socket; empty means {@code <backup dir>/.haven.sock}
   * @param allowRemote {@code api_allow_remote: true}: the API may listen on an address other
   *     machines reach; without it such an address is refused at start
   */
  public record Agent(String listenHost, int listenPort, Optional<String> token,
      Optional<Path> tokenFile, Optional<Path> socket, boolean allowRemote) {
    public static final int DEFAULT_PORT = 8470;
    public static final Agent DEFAULT = new Agent("127.0.0.1", DEFAULT_PORT, Optional.empty(),
        Optional.empty(), Optional.empty());

    /** An agent that listens on loopback only (no {@code api_allow_remote}). */
    public Agent(String listenHost, int listenPort, Optional<String> token,
        Optional<Path> tokenFile, Optional<Path> socket) {
      this(listenHost, listenPort, token, tokenFile, socket, false);
    }

    /** Whether the API's address is this machine's loopback, which no other machine reaches. */
    public boolean loopback() {
      String host = listenHost.startsWith("[") && listenHost.endsWith("]")
          ? listenHost.substring(1, listenHost.length() - 1) : listenHost;
      return host.equalsIgnoreCase("localhost") || host.equals("::1")
          || host.matches("127(\\.\\d{1,3}){3}");
    }

    /** The warning the agent prints when it listens beyond loopback on purpose. */
    public Optional<String> remoteWarning() {
      return loopback() ? Optional.empty() : Optional.of("the API listens on " + listenHost
          + ":" + listenPort + ", which other machines may reach: anyone who reaches it and"
          + " has the token can restore over your data. Keep the port behind a firewall.");
    }

    void checkRemote() throws ConfigException {
      if (!loopback() && !allowRemote) {
        throw new ConfigException("api_listen " + listenHost + ":" + listenPort + " is not a"
            + " loopback address, so other machines could reach the API. Listen on 127.0.0.1,"
            + " or set api_allow_remote: true in the config to mean it.", null);
      }
    }

    public Agent {
      if (listenHost.isBlank()) {
        throw new IllegalArgumentException("api_listen needs a host, as in 127.0.0.1:"
            + DEFAULT_PORT);
      }
      if (listenPort < 0 || listenPort > 65535) {
        throw new IllegalArgumentException("api_listen port must be 0 to 65535, not "
            + listenPort);
      }
      if (token.isPresent() && token.get().length() < 16) {
        throw new IllegalArgumentException("the API token must be at least 16 characters");
      }
    }

    // The token is a secret: logs and error messages that print the config must not show it.
    @Override
    public String toString() {
      return "Agent[" + listenHost + ":" + listenPort + ", token=" + (token.isPresent() ? "***"
          : "from file") + ", tokenFile=" + tokenFile + ", socket=" + socket + "]";
    }

    /** Parses "host:port" (HAVEN_API_LISTEN, api_listen) into this record's listen fields. */
    public Agent withListen(String hostPort) {
      int colon = hostPort.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("api_listen '" + hostPort
            + "' must be host:port, as in 127.0.0.1:" + DEFAULT_PORT);
      }
      try {
        return new Agent(hostPort.substring(0, colon),
            Integer.parseInt(hostPort.substring(colon + 1)), token, tokenFile, socket,
            allowRemote);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("api_listen '" + hostPort + "' has no port number");
      }
    }
  }

  /** The API token file: configured, else in the backup directory. */
  public Path tokenFile() {
    return agent.tokenFile().orElse(backupDir.resolve(".haven-api-token"));
  }

  /** The agent's Unix socket: configured, else in the backup directory. */
  public Path socket() {
    return agent.socket().orElse(backupDir.resolve(".haven.sock"));
  }

  /** The locations file. */
  public Path locationsFile() {
    return offsite.locationsFile();
  }

  private static Path besideBackupDir(Path backupDir) {
    Path parent = backupDir.toAbsolutePath().getParent();
    return (parent == null ? backupDir : parent).resolve(LOCATIONS_FILE);
  }

  /** The file's shape; every key optional. */
  private record FileShape(
      @JsonProperty("data_root") String dataRoot,
      @JsonProperty("backup_dir") String backupDir,
      @JsonProperty("compression") String compression,
      @JsonProperty("compression_workers") Integer compressionWorkers,
      @JsonProperty("api_listen") String apiListen,
      @JsonProperty("api_allow_remote") Boolean apiAllowRemote,
      @JsonProperty("api_token_file") String apiTokenFile,
      @JsonProperty("socket") String socket,
      @JsonProperty("sys_root") String sysRoot,
      @JsonProperty("services") LinkedHashMap<String, ServiceShape> services,
      @JsonProperty("mqtt") Map<String, Object> mqtt,
      @JsonProperty("locations_file") String locationsFile,
      @JsonProperty("schedule") Offsite.ScheduleShape schedule,
      @JsonProperty("retention") Offsite.RetentionShape retention,
      @JsonProperty(LOCATION_OVERRIDES) Map<String, Offsite.LocationShape> locationOverrides,
      @JsonProperty(OLD_LOCATION_OVERRIDES) Map<String, Offsite.LocationShape> oldLocations,
      @JsonProperty("led") LedShape led,
      @JsonProperty("automatic_content") Offsite.ContentShape automaticContent,
      @JsonProperty("excludes") List<String> excludes) {}

  /** The {@code led:} section; which keys matter depends on the kind. */
  private record LedShape(
      @JsonProperty("kind") String kind,
      @JsonProperty("pin") Integer pin,
      @JsonProperty("name") String name) {}

  /** One entry under {@code services:}. */
  private record ServiceShape(
      @JsonProperty("stop") String stop,
      @JsonProperty("start") String start,
      @JsonProperty("restart") String restart,
      @JsonProperty("health") String health,
      @JsonProperty("timeout_seconds") Integer timeoutSeconds,
      @JsonProperty("backup") String backup) {}

  /** The embedded default, relative to {@code cwd}. */
  public static Config defaults(Path cwd) {
    Path base = cwd.resolve("haven-data");
    return new Config(base.resolve("data"), base.resolve("backup"), Compression.ZSTD,
        Math.min(2, Runtime.getRuntime().availableProcessors()));
  }

  /**
   * Loads the configuration. {@code explicit} is {@code --config}; when absent, HAVEN_CONFIG and
   * then {@link #DEVICE_CONFIG} are tried.
   */
  public static Config load(Optional<Path> explicit, Map<String, String> env, Path cwd)
      throws ConfigException {
    Optional<Path> file = fileOf(explicit, env);
    Config c = defaults(cwd);
    if (file.isPresent()) {
      c = c.with(read(file.get()), file.get());
    }
    Config loaded = c.withEnv(env, cwd, file.isPresent());
    loaded.agent().checkRemote();
    return loaded;
  }

  /** The file {@link #load} reads: {@code explicit}, HAVEN_CONFIG, or the device's, if any. */
  public static Optional<Path> fileOf(Optional<Path> explicit, Map<String, String> env) {
    return explicit.or(() -> Optional.ofNullable(env.get("HAVEN_CONFIG"))
        .filter(s -> !s.isBlank()).map(Path::of))
        .or(() -> Files.isRegularFile(DEVICE_CONFIG) ? Optional.of(DEVICE_CONFIG)
            : Optional.empty());
  }

  private static FileShape read(Path file) throws ConfigException {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("Config file " + file + " does not exist. Create it or leave"
          + " out --config/HAVEN_CONFIG to use the defaults.", null);
    }
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    try {
      FileShape shape = yaml.readValue(file.toFile(), FileShape.class);
      // An empty file has every key absent, as an empty mapping does.
      return shape == null ? yaml.readValue("{}", FileShape.class) : shape;
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException("Unknown key '" + e.getPropertyName() + "' in " + file
          + ". Known keys: " + e.getKnownPropertyIds() + ".", e);
    } catch (IOException e) {
      throw new ConfigException("Cannot read config file " + file + ": "
          + e.getMessage().lines().findFirst().orElse("") + ".", e);
    }
  }

  private Config with(FileShape f, Path file) throws ConfigException {
    Path base = file.toAbsolutePath().getParent();
    try {
      Builder b = toBuilder().agent(agentWith(f, base))
          .offsite(offsite.withLocationsFile(f.locationsFile() != null
              ? base.resolve(f.locationsFile()) : base.resolve(LOCATIONS_FILE))
              .with(f.schedule(), f.retention(), locationOverrides(f, file))
              .withContent(f.automaticContent()));
      if (f.oldLocations() != null) {
        b.warnings(List.of(file + ": '" + OLD_LOCATION_OVERRIDES + ":' is now called '"
            + LOCATION_OVERRIDES + ":' (each location's own schedule and retention); rename it,"
            + " the old name still works for now."));
      }
      if (f.dataRoot() != null) {
        b.dataRoot(base.resolve(f.dataRoot()));
      }
      if (f.backupDir() != null) {
        b.backupDir(base.resolve(f.backupDir()));
      }
      if (f.compression() != null) {
        b.compression(Compression.parse(f.compression()));
      }
      if (f.compressionWorkers() != null) {
        b.compressionWorkers(f.compressionWorkers());
      }
      if (f.sysRoot() != null) {
        b.sysRoot(base.resolve(f.sysRoot()));
      }
      if (f.services() != null) {
        b.services(services(f.services()));
      }
      if (f.mqtt() != null) {
        b.mqtt(Optional.of(MqttConfig.parse(f.mqtt(), base)));
      }
      if (f.led() != null) {
        b.led(led(f.led()));
      }
      if (f.excludes() != null) {
        b.excludes(f.excludes());
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid config: " + e.getMessage() + ".", e);
    } catch (MqttFailure.BadConfig e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  // The overrides under their name, or under the older one; both at once would be ambiguous.
  private static Map<String, Offsite.LocationShape> locationOverrides(FileShape f, Path file)
      throws ConfigException {
    if (f.locationOverrides() != null && f.oldLocations() != null) {
      throw new ConfigException(file + " has both '" + LOCATION_OVERRIDES + ":' and the older '"
          + OLD_LOCATION_OVERRIDES + ":': move the entries of '" + OLD_LOCATION_OVERRIDES
          + ":' into '" + LOCATION_OVERRIDES + ":' and remove it.", null);
    }
    return f.locationOverrides() != null ? f.locationOverrides() : f.oldLocations();
  }

  private Agent agentWith(FileShape f, Path base) {
    Agent a = f.apiListen() != null ? agent.withListen(f.apiListen()) : agent;
    return new Agent(a.listenHost(), a.listenPort(), a.token(),
        f.apiTokenFile() != null ? Optional.of(base.resolve(f.apiTokenFile())) : a.tokenFile(),
        f.socket() != null ? Optional.of(base.resolve(f.socket())) : a.socket(),
        f.apiAllowRemote() != null ? f.apiAllowRemote() : a.allowRemote());
  }

  private Config withEnv(Map<String, String> env, Path cwd, boolean fromFile)
      throws ConfigException {
    String root = env.get("HAVEN_DATA_ROOT");
    String backup = env.get("HAVEN_BACKUP_DIR");
    String sys = env.get("HAVEN_SYS_ROOT");
    String locations = env.get("HAVEN_LOCATIONS_FILE");
    try {
      Builder b = toBuilder().agent(agentWithEnv(env, cwd));
      if (present(root)) {
        b.dataRoot(cwd.resolve(root));
      }
      if (present(backup)) {
        b.backupDir(cwd.resolve(backup));
      }
      if (present(sys)) {
        b.sysRoot(cwd.resolve(sys));
      }
      if (present(locations)) {
        b.offsite(offsite.withLocationsFile(cwd.resolve(locations)));
      } else if (present(backup) && !fromFile) {
        // Without a config file the locations file lies beside the backup directory, the one
        // the environment names too.
        b.offsite(offsite.withLocationsFile(besideBackupDir(cwd.resolve(backup))));
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid environment: " + e.getMessage() + ".", e);
    }
  }

  private Agent agentWithEnv(Map<String, String> env, Path cwd) {
    String listen = env.get("HAVEN_API_LISTEN");
    String token = env.get("HAVEN_API_TOKEN");
    String socket = env.get("HAVEN_SOCKET");
    Agent a = present(listen) ? agent.withListen(listen) : agent;
    return new Agent(a.listenHost(), a.listenPort(),
        present(token) ? Optional.of(token) : a.token(), a.tokenFile(),
        present(socket) ? Optional.of(cwd.resolve(socket)) : a.socket(), a.allowRemote());
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  private static LedConfig led(LedShape shape) {
    String kind = shape.kind() == null ? "none" : shape.kind().toLowerCase(Locale.ROOT);
    switch (kind) {
      case "gpio":
        if (shape.pin() == null) {
          throw new IllegalArgumentException("led kind gpio needs pin, the BCM number, as in"
              + " led: {kind: gpio, pin: 17}");
        }
        return LedConfig.gpio(shape.pin());
      case "sysfs":
        if (shape.name() == null) {
          throw new IllegalArgumentException("led kind sysfs needs name, an LED in"
              + " /sys/class/leds, as in led: {kind: sysfs, name: ACT}");
        }
        return LedConfig.sysfs(shape.name());
      case "none":
        return LedConfig.none();
      default:
        throw new IllegalArgumentException("led kind must be gpio, sysfs or none, not '"
            + shape.kind() + "'");
    }
  }

  private static Services services(Map<String, ServiceShape> shapes) {
    List<Service> list = new ArrayList<>();
    shapes.forEach((name, s) -> {
      ServiceShape shape = s == null ? new ServiceShape(null, null, null, null, null, null) : s;
      String backup = shape.backup() == null ? "hot" : shape.backup();
      if (!backup.equals("hot") && !backup.equals("cold")) {
        throw new IllegalArgumentException("services." + name + ".backup must be hot or cold, not '"
            + backup + "'");
      }
      list.add(new Service(name, Optional.ofNullable(shape.stop()),
          Optional.ofNullable(shape.start()), Optional.ofNullable(shape.restart()),
          Optional.ofNullable(shape.health()),
          shape.timeoutSeconds() == null ? Service.DEFAULT_TIMEOUT
              : Duration.ofSeconds(shape.timeoutSeconds()),
          backup.equals("cold")));
    });
    return new Services(list);
  }
}
