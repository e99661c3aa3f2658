package io.haven.archive;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Home Assistant's backup id and date rules (FORMAT.md section 4). */
public final class Slug {
  private static final Pattern SLUG = Pattern.compile("[0-9a-f]{8}");

  // Python's utcnow().isoformat(): microseconds always shown, offset written as +00:00.
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);
  // ... and leaves the fraction out when it is zero.
  private static final DateTimeFormatter DATE_WHOLE_SECOND =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

  private Slug() {}

  /** The first 8 hex digits of sha1("date - name" lowercased), exactly as the Supervisor does. */
  public static String of(String date, String name) {
    try {
      byte[] sha1 =
          MessageDigest.getInstance("SHA-1")
              .digest((date + " - " + name).toLowerCase(java.util.Locale.ROOT)
                  .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha1).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java runtime has no SHA-1", e);
    }
  }

  /** A backup date as the Supervisor writes it: UTC, microseconds, "+00:00". */
  public static String date(Instant instant) {
    Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
    return (micros.getNano() == 0 ? DATE_WHOLE_SECOND : DATE).format(micros);
  }

  /** Whether {@code s} is a well-formed slug (8 lowercase hex digits). */
  public static boolean isValid(String s) {
    return s != null && SLUG.matcher(s).matches();
  }
}
