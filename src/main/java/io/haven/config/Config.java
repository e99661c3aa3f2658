package io.haven.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.haven.archive.Compression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where Haven's data lives and how it works. Sources, later ones winning: the embedded default
 * (everything under {@code ./haven-data/}), the YAML file ({@code --config}, {@code HAVEN_CONFIG},
 * or {@code /etc/haven/haven.yaml} when it exists), then {@code HAVEN_DATA_ROOT} and
 * {@code HAVEN_BACKUP_DIR} and {@code HAVEN_LOCATIONS_FILE}. Unknown keys and bad values fail at
 * start with the key named.
 *
 * <p>The locations file (named locations with their secrets, mode 0600) is {@code locations.yaml}
 * beside the config file when there is one, else beside the backup directory; {@code
 * locations_file} or {@code HAVEN_LOCATIONS_FILE} place it elsewhere.
 */
public record Config(Path dataRoot, Path backupDir, Compression compression,
    int compressionWorkers, Offsite offsite) {

  public static final Path DEVICE_CONFIG = Path.of("/etc/haven/haven.yaml");
  static final String LOCATIONS_FILE = "locations.yaml";

  public Config {
    if (compressionWorkers < 1 || compressionWorkers > 64) {
      throw new IllegalArgumentException("compression_workers must be 1 to 64, not "
          + compressionWorkers);
    }
  }

  /** No schedule or retention; the locations file beside the backup directory. */
  public Config(Path dataRoot, Path backupDir, Compression compression, int compressionWorkers) {
    this(dataRoot, backupDir, compression, compressionWorkers,
        Offsite.none(besideBackupDir(backupDir)));
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
      @JsonProperty("locations_file") String locationsFile,
      @JsonProperty("schedule") Offsite.ScheduleShape schedule,
      @JsonProperty("retention") Offsite.RetentionShape retention,
      @JsonProperty("locations") Map<String, Offsite.LocationShape> locations) {}

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
    Optional<Path> file = explicit.or(() -> Optional.ofNullable(env.get("HAVEN_CONFIG"))
        .filter(s -> !s.isBlank()).map(Path::of))
        .or(() -> Files.isRegularFile(DEVICE_CONFIG) ? Optional.of(DEVICE_CONFIG)
            : Optional.empty());
    Config c = defaults(cwd);
    if (file.isPresent()) {
      c = c.with(read(file.get()), file.get().toAbsolutePath().getParent());
    }
    return c.withEnv(env, cwd);
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
      return shape == null ? new FileShape(null, null, null, null, null, null, null, null) : shape;
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException("Unknown key '" + e.getPropertyName() + "' in " + file
          + ". Known keys: " + e.getKnownPropertyIds() + ".", e);
    } catch (IOException e) {
      throw new ConfigException("Cannot read config file " + file + ": "
          + e.getMessage().lines().findFirst().orElse("") + ".", e);
    }
  }

  private Config with(FileShape f, Path base) throws ConfigException {
    try {
      return new Config(
          f.dataRoot() != null ? base.resolve(f.dataRoot()) : dataRoot,
          f.backupDir() != null ? base.resolve(f.backupDir()) : backupDir,
          f.compression() != null ? Compression.parse(f.compression()) : compression,
          f.compressionWorkers() != null ? f.compressionWorkers() : compressionWorkers,
          offsite.withLocationsFile(f.locationsFile() != null ? base.resolve(f.locationsFile())
              : base.resolve(LOCATIONS_FILE))
              .with(f.schedule(), f.retention(), f.locations()));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid config: " + e.getMessage() + ".", e);
    }
  }

  private Config withEnv(Map<String, String> env, Path cwd) {
    String root = env.get("HAVEN_DATA_ROOT");
    String backup = env.get("HAVEN_BACKUP_DIR");
    String locations = env.get("HAVEN_LOCATIONS_FILE");
    return new Config(
        root != null && !root.isBlank() ? cwd.resolve(root) : dataRoot,
        backup != null && !backup.isBlank() ? cwd.resolve(backup) : backupDir,
        compression, compressionWorkers,
        locations != null && !locations.isBlank()
            ? offsite.withLocationsFile(cwd.resolve(locations)) : offsite);
  }
}
