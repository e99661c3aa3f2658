package io.haven.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of streams and files, through one fixed buffer. */
final class Digests {
  /** Large reads suit SD cards and eMMC; the same buffer carries uploads and downloads. */
  static final int BUFFER = 1024 * 1024;

  /**
   * Writes into a location's stream go in slices of this size: sshj's SFTP stream fails with
   * "Timeout when trying to expand the window size" on single writes of a megabyte.
   */
  static final int WRITE_SLICE = 64 * 1024;

  private Digests() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /** Reads {@code in} to its end; returns the hex SHA-256. */
  static String of(InputStream in) throws IOException {
    return copy(in, OutputStream.nullOutputStream());
  }

  static String of(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return of(in);
    }
  }

  /** Copies {@code in} to {@code out}; returns the hex SHA-256 of the bytes copied. */
  static String copy(InputStream in, OutputStream out) throws IOException {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[BUFFER];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      for (int off = 0; off < n; off += WRITE_SLICE) {
        out.write(buffer, off, Math.min(WRITE_SLICE, n - off));
      }
      digest.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
