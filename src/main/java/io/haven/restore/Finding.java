package io.haven.restore;

import java.util.Objects;

/**
 * One result of the migration preflight: which check, how serious, what was found and what to do.
 *
 * @param check a short stable name ("space", "data_disk", "radio", "https", "network_storage",
 *     "restart", "duration", "skipped")
 * @param action what the user should do; "" when nothing
 */
public record Finding(String check, Severity severity, String message, String action) {
  /** How a finding affects a restore. */
  public enum Severity {
    /** For the user's information; the restore goes ahead. */
    INFO,
    /** Something will need attention after the restore; the restore goes ahead. */
    WARNING,
    /** The restore would leave the system broken; it refuses unless forced. */
    BLOCKING;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Finding {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(action, "action");
    if (check == null || check.isBlank() || message == null || message.isBlank()) {
      throw new IllegalArgumentException("a finding needs a check and a message");
    }
  }

  static Finding info(String check, String message) {
    return new Finding(check, Severity.INFO, message, "");
  }

  static Finding warning(String check, String message, String action) {
    return new Finding(check, Severity.WARNING, message, action);
  }

  static Finding blocking(String check, String message, String action) {
    return new Finding(check, Severity.BLOCKING, message, action);
  }
}
