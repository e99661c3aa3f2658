package io.haven.key;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One backup encryption key in Home Assistant's form: seven groups of four characters from A–Z
 * and 0–9 joined with '-', e.g. {@code ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ12}. It is used verbatim,
 * dashes included, as the SecureTar password, so Home Assistant opens backups made with it.
 * {@link #toString()} never shows it.
 *
 * @param value the key itself
 * @param created when it was made, for the emergency kit and for choosing among old keys
 */
public record BackupKey(String value, Instant created) {
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final int GROUPS = 7;
  private static final int GROUP_LENGTH = 4;
  private static final Pattern FORM = Pattern.compile("[A-Z0-9]{4}(-[A-Z0-9]{4}){6}");

  public BackupKey {
    Objects.requireNonNull(created, "created");
    if (value == null || !FORM.matcher(value).matches()) {
      throw new IllegalArgumentException("a backup key is seven groups of four characters A-Z"
          + " and 0-9 joined with '-'");
    }
  }

  /**
   * A new random key. Each character is drawn uniformly from the 36 (Home Assistant's frontend
   * takes a byte modulo 36, which favours the first 4 characters slightly): about 180 bits.
   */
  public static BackupKey generate(SecureRandom random, Instant now) {
    StringBuilder key = new StringBuilder(GROUPS * (GROUP_LENGTH + 1));
    for (int group = 0; group < GROUPS; group++) {
      if (group > 0) {
        key.append('-');
      }
      for (int i = 0; i < GROUP_LENGTH; i++) {
        key.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
    }
    return new BackupKey(key.toString(), now);
  }

  /** Whether {@code text} has a key's form (after trimming), as a typed or pasted key would. */
  public static boolean looksLikeKey(String text) {
    return text != null && FORM.matcher(text.strip()).matches();
  }

  @Override
  public String toString() {
    return "BackupKey[****-…, created " + created + "]";
  }
}
