package io.haven.location;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Reproducible bytes of any size, streamed through one small buffer and identified by SHA-256. */
final class TestData {
  private static final int BUFFER = 64 * 1024;

  private TestData() {}

  /** Writes {@code size} pseudo-random bytes from {@code seed}; returns their SHA-256. */
  static String write(OutputStream out, long size, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    MessageDigest digest = sha256();
    byte[] buffer = new byte[BUFFER];
    for (long left = size; left > 0; ) {
      int n = (int) Math.min(buffer.length, left);
      random.nextBytes(buffer);
      out.write(buffer, 0, n);
      digest.update(buffer, 0, n);
      left -= n;
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The SHA-256 of what {@code size} bytes from {@code seed} would be. */
  static String digestOf(long size, long seed) throws IOException {
    return write(OutputStream.nullOutputStream(), size, seed);
  }

  /** Reads {@code in} to its end; returns its SHA-256. */
  static String digest(InputStream in) throws IOException {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[BUFFER];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      digest.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
