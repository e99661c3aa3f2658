package io.haven.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Home Assistant's {@code configuration.yaml}, read only for the few facts Haven needs (the
 * recorder's keep days, https). {@code !include} is followed relative to the including file;
 * {@code !secret}, {@code !env_var} and {@code !include_dir_*} become {@link Tagged} values and are
 * never resolved, so no secret is ever read. A file that is missing, too large or not YAML reads as
 * empty: these facts are advice, never a reason to fail a backup.
 */
final class ConfigurationYaml {
  static final String FILE = "configuration.yaml";
  /** Configuration files are a few kB; a larger one is not read (bounded memory). */
  private static final long MAX_BYTES = 2L * 1024 * 1024;
  private static final int MAX_INCLUDE_DEPTH = 8;

  /** A value with a tag Haven does not resolve ({@code !secret https_cert}). */
  record Tagged(String tag, String value) {}

  private final Map<?, ?> top;

  private ConfigurationYaml(Map<?, ?> top) {
    this.top = top;
  }

  /** Reads {@code configuration.yaml} in Home Assistant's config directory. */
  static ConfigurationYaml read(Path configDir) {
    Object loaded = load(configDir.resolve(FILE), 0);
    return new ConfigurationYaml(loaded instanceof Map<?, ?> m ? m : Map.of());
  }

  /** The value at {@code keys} ("recorder", "purge_keep_days"), includes followed. */
  Optional<Object> get(String... keys) {
    Object at = top;
    for (String key : keys) {
      if (!(at instanceof Map<?, ?> m)) {
        return Optional.empty();
      }
      at = m.get(key);
    }
    return Optional.ofNullable(at);
  }

  /** True when the top level has {@code key}, even with an empty value ({@code recorder:}). */
  boolean has(String key) {
    return top.containsKey(key);
  }

  private static Object load(Path file, int depth) {
    try {
      if (depth > MAX_INCLUDE_DEPTH || !Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
        return null;
      }
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(true); // Home Assistant keeps the last one, as SnakeYAML does
      options.setMaxAliasesForCollections(100);
      Yaml yaml = new Yaml(new Constructor(options, file.toAbsolutePath().getParent(), depth));
      try (InputStream in = Files.newInputStream(file);
          Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        return yaml.load(reader);
      }
    } catch (IOException | RuntimeException e) {
      // Not readable or not YAML: Home Assistant would refuse it too; the facts stay unknown.
      return null;
    }
  }

  /** Safe types only, plus Home Assistant's tags. */
  private static final class Constructor extends SafeConstructor {
    Constructor(LoaderOptions options, Path dir, int depth) {
      super(options);
      yamlConstructors.put(new Tag("!include"), new AbstractConstruct() {
        @Override
        public Object construct(Node node) {
          return node instanceof ScalarNode s ? load(dir.resolve(s.getValue()), depth + 1) : null;
        }
      });
      // SafeConstructor registers its "unknown tag" failure under the null key.
      yamlConstructors.put(null, new AbstractConstruct() {
        @Override
        public Object construct(Node node) {
          String value = node instanceof ScalarNode s ? s.getValue() : "";
          return new Tagged(node.getTag().getValue(), value);
        }
      });
    }
  }
}
