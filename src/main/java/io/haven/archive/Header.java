package io.haven.archive;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The v2/v3 header layout (FORMAT.md section 3): magic, version, reserved bytes, plaintext size. */
final class Header {
  static final byte[] MAGIC = "SecureTar".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION_OFFSET = 9;
  static final int V2_BYTES = 48;
  static final int V3_BYTES = 136;
  /** Enough to tell v1 from v2/v3: a v1 salt, or the magic and the version byte. */
  static final int SNIFF_BYTES = 16;

  private static final int RESERVED_OFFSET = 10;
  private static final int SALT_OFFSET = 32;

  private Header() {}

  static boolean hasMagic(byte[] head, int length) {
    return length >= MAGIC.length
        && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  /** A header of {@code length} bytes for {@code version}, plaintext size 0 (patched later). */
  static ByteBuffer start(int length, int version) {
    var header = ByteBuffer.allocate(length);
    header.put(MAGIC).put((byte) version);
    return header.position(SALT_OFFSET);
  }

  /** A v2 header holding {@code salt}; the plaintext size is 0 until the caller patches it. */
  static byte[] v2(byte[] salt) {
    return start(V2_BYTES, 2).put(salt).array();
  }

  static byte[] v2Salt(byte[] header) {
    return Arrays.copyOfRange(header, SALT_OFFSET, SALT_OFFSET + Keys.SALT_BYTES);
  }

  static long plaintextSize(byte[] header) {
    return ByteBuffer.wrap(header).getLong(SecureTar.PLAINTEXT_SIZE_OFFSET);
  }

  /** The reserved bytes after the version must be zero; anything else is not a header we know. */
  static void checkReserved(byte[] header, String what) throws ArchiveException.Corrupt {
    for (int i = RESERVED_OFFSET; i < SecureTar.PLAINTEXT_SIZE_OFFSET; i++) {
      if (header[i] != 0) {
        throw new ArchiveException.Corrupt(
            "Cannot decrypt "
                + what
                + ": its SecureTar header has non-zero reserved bytes; the archive is damaged;"
                + " use another copy.");
      }
    }
  }
}
