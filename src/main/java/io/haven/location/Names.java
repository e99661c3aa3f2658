package io.haven.location;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The names a Location accepts: one file name that means the same on a local disk, SFTP, WebDAV,
 * S3, SMB and rclone. Names are checked once, where they enter a Location.
 */
public final class Names {
  /** Temporaries end with this; a name that did could be mistaken for an unfinished write. */
  static final String TEMP_SUFFIX = ".haven-tmp";

  /** Room left under the common 255-byte limit for the temporary's prefix and suffix. */
  static final int MAX_BYTES = 200;

  /** Reserved on SMB/CIFS shares and Windows file systems, which Haven also writes to. */
  private static final String SMB_RESERVED = "\\:*?\"<>|";

  private Names() {}

  /**
   * Returns {@code name} if a Location may store an object under it.
   *
   * @throws IllegalArgumentException naming the rule the name breaks
   */
  public static String check(String name) {
    Optional<String> problem = problem(name);
    if (problem.isPresent()) {
      throw new IllegalArgumentException("Invalid archive name '" + printable(name) + "': "
          + problem.get());
    }
    return name;
  }

  /** Whether {@link #check(String)} accepts {@code name}; lists skip names it does not. */
  public static boolean isValid(String name) {
    return problem(name).isEmpty();
  }

  private static Optional<String> problem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("a name is needed to find the object again");
    }
    if (name.indexOf('/') >= 0) {
      return Optional.of("no '/': a name is one object, never a path into other directories");
    }
    if (name.equals(".") || name.equals("..")) {
      return Optional.of("'.' and '..' name directories and would lead outside the location");
    }
    if (name.startsWith(".")) {
      // Temporaries start with a dot, so a leading dot is reserved for them (and hidden files).
      return Optional.of("no leading '.': reserved for temporaries and hidden files");
    }
    if (name.endsWith(TEMP_SUFFIX)) {
      return Optional.of("no '" + TEMP_SUFFIX + "' suffix: reserved for unfinished writes");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
        return Optional.of("no blanks or control characters: they are lost or mangled by shells,"
            + " SMB and logs");
      }
      if (SMB_RESERVED.indexOf(c) >= 0) {
        return Optional.of("no " + SMB_RESERVED + ": SMB shares reject them");
      }
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return Optional.of("at most " + MAX_BYTES + " bytes: file systems stop at 255 and the"
          + " temporary name needs room");
    }
    return Optional.empty();
  }

  /** The name as it may appear in a message: control characters escaped so logs stay intact. */
  static String printable(String name) {
    if (name == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder();
    name.codePoints().forEach(c -> {
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }
}
