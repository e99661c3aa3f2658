package io.haven.config;

import java.util.List;
import java.util.Optional;

/**
 * The services of config key {@code services:}, in the order the file lists them (stopped in that
 * order, started in reverse). Empty by default: without configuration Haven stops nothing.
 *
 * <pre>
 * services:
 *   homeassistant:                       # Home Assistant itself
 *     stop: systemctl stop home-assistant
 *     start: systemctl start home-assistant
 *     restart: systemctl restart home-assistant   # optional
 *     health: curl -fsS http://127.0.0.1:8123/manifest.json   # optional
 *     timeout_seconds: 120               # optional, per command
 *   core_mosquitto:                      # an add-on, by slug
 *     stop: docker stop addon_core_mosquitto
 *     start: docker start addon_core_mosquitto
 *     backup: cold                       # stop it while its data is backed up
 * </pre>
 */
public record Services(List<Service> list) {
  public static final Services NONE = new Services(List.of());

  public Services {
    list = List.copyOf(list);
    if (list.stream().map(Service::name).distinct().count() != list.size()) {
      throw new IllegalArgumentException("a service is named twice under services:");
    }
  }

  public Optional<Service> named(String name) {
    return list.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
