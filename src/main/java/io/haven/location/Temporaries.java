package io.haven.location;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Temporary names for unfinished writes: hidden, unique and rejected by {@link Names#check}. */
final class Temporaries {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Temporaries() {}

  /**
   * A fresh temporary name for {@code name}: a random part keeps two writers of the same name
   * apart, the leading dot and the suffix keep it out of every {@link Location#list()}.
   */
  static String forName(String name) {
    byte[] random = new byte[6];
    RANDOM.nextBytes(random);
    return "." + name + "." + HexFormat.of().formatHex(random) + Names.TEMP_SUFFIX;
  }
}
