package io.haven.backup;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What Home Assistant's configuration says that a backup or a migration cares about: how many
 * days the recorder keeps, and whether the web server serves https and from which files.
 *
 * @param keepDays {@code recorder: purge_keep_days}, 10 when not set (Home Assistant's default)
 * @param keepDaysSet whether the configuration sets it
 * @param certificate {@code http: ssl_certificate} as written (a path as Home Assistant sees it,
 *     "/ssl/fullchain.pem"; "!secret name" when it comes from secrets.yaml); empty without https
 * @param key {@code http: ssl_key}, likewise
 */
public record HomeAssistantFacts(int keepDays, boolean keepDaysSet, Optional<String> certificate,
    Optional<String> key) {
  /** Home Assistant's default for {@code purge_keep_days}. */
  public static final int DEFAULT_KEEP_DAYS = 10;

  public boolean https() {
    return certificate.isPresent();
  }

  /** Reads Home Assistant's config directory ({@code <data root>/config}); never fails. */
  public static HomeAssistantFacts read(Path configDir) {
    ConfigurationYaml yaml = ConfigurationYaml.read(configDir);
    Optional<Integer> days = yaml.get("recorder", "purge_keep_days")
        .filter(v -> v instanceof Integer).map(v -> (Integer) v);
    return new HomeAssistantFacts(days.orElse(DEFAULT_KEEP_DAYS), days.isPresent(),
        text(yaml.get("http", "ssl_certificate")), text(yaml.get("http", "ssl_key")));
  }

  private static Optional<String> text(Optional<Object> value) {
    return value.map(v -> v instanceof ConfigurationYaml.Tagged t ? t.tag() + " " + t.value()
        : v.toString()).filter(s -> !s.isBlank());
  }
}
