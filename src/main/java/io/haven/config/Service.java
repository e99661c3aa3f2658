package io.haven.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that runs beside Haven and must not write while its files are replaced: Home Assistant
 * ({@code name} "homeassistant") or an add-on ({@code name} its slug). Each command is a shell
 * command line run with {@code /bin/sh -c}; Haven assumes no init system or container engine.
 *
 * @param stop stops it; empty when it need not be stopped
 * @param start starts it again; empty when nothing needs starting
 * @param restart restarts it after its files were restored; empty means stop, then start
 * @param health exits 0 once it answers again; retried until {@code timeout}
 * @param timeout the most each command may take; a command still running then is killed
 * @param coldBackup stop it while its part is backed up ({@code backup: cold})
 */
public record Service(String name, Optional<String> stop, Optional<String> start,
    Optional<String> restart, Optional<String> health, Duration timeout, boolean coldBackup) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
  public static final String HOME_ASSISTANT = "homeassistant";

  public Service {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a service needs a name");
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout_seconds of service '" + name
          + "' must be above 0, not " + timeout.toSeconds());
    }
    stop = blankless(stop);
    start = blankless(start);
    restart = blankless(restart);
    health = blankless(health);
  }

  /** True for Home Assistant itself; any other name is an add-on's slug. */
  public boolean isHomeAssistant() {
    return name.equals(HOME_ASSISTANT);
  }

  private static Optional<String> blankless(Optional<String> command) {
    return command == null ? Optional.empty() : command.filter(c -> !c.isBlank());
  }
}
