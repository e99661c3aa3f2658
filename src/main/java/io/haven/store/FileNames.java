package io.haven.store;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The rule for a backup's file name in the backup directory, checked before any work is done
 * (the Supervisor's rule, made safe for a file system and an HTTP header).
 */
public final class FileNames {
  // Linux's NAME_MAX: a longer name fails only when the finished backup is renamed.
  private static final int MAX_BYTES = 255;

  private FileNames() {}

  /** Why {@code name} cannot be a backup's file name, or empty when it can. */
  public static Optional<String> problem(String name) {
    String why = null;
    if (!name.endsWith(".tar") || name.length() == 4) {
      why = "it must end in .tar";
    } else if (name.contains("/") || name.contains("\\")) {
      why = "it must not hold a slash"; // it would name a file in another directory
    } else if (name.startsWith(".")) {
      why = "it must not start with a dot"; // hidden and temporary files are never listed
    } else if (name.chars().anyMatch(c -> c < 0x20 || c >= 0x7f && c < 0xa0)) {
      why = "it must not hold control characters"; // they break logs and HTTP headers
    } else if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      why = "it is longer than " + MAX_BYTES + " bytes";
    }
    return Optional.ofNullable(why).map(w -> "The file name '" + shown(name)
        + "' cannot be used: " + w + ". Choose another file name.");
  }

  /** Throws {@link StoreException.BadName} when {@code name} cannot be used. */
  public static void check(String name) throws StoreException.BadName {
    Optional<String> problem = problem(name);
    if (problem.isPresent()) {
      throw new StoreException.BadName(problem.get());
    }
  }

  /** A name as messages show it: control characters as '?', at most 60 characters. */
  public static String shown(String name) {
    String safe = name.codePoints().map(c -> c < 0x20 || c >= 0x7f && c < 0xa0 ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
    return safe.length() <= 60 ? safe : safe.substring(0, 57) + "...";
  }
}
