package io.haven.archive;

import java.nio.ByteBuffer;

/**
 * A v3 header's fields after the magic (FORMAT.md section 3). The root salt, validation salt and
 * validation key are the archive's; the derivation salt and stream header are this part's.
 */
record V3Header(
    long plaintextSize,
    byte[] rootSalt,
    byte[] validationSalt,
    byte[] validationKey,
    byte[] derivationSalt,
    byte[] streamHeader) {
  private static final int ROOT_SALT_OFFSET = 32;

  V3Header {
    if (plaintextSize < 0) {
      throw new IllegalArgumentException("plaintext size < 0: " + plaintextSize);
    }
  }

  static V3Header parse(byte[] header) {
    var buffer = ByteBuffer.wrap(header);
    long size = buffer.getLong(SecureTar.PLAINTEXT_SIZE_OFFSET);
    buffer.position(ROOT_SALT_OFFSET);
    return new V3Header(
        size,
        take(buffer, Keys.SALT_BYTES),
        take(buffer, Keys.SALT_BYTES),
        take(buffer, 32),
        take(buffer, Keys.SALT_BYTES),
        take(buffer, SecretStream.HEADER_BYTES));
  }

  byte[] toBytes() {
    return Header.start(Header.V3_BYTES, 3)
        .putLong(SecureTar.PLAINTEXT_SIZE_OFFSET, plaintextSize)
        .put(rootSalt)
        .put(validationSalt)
        .put(validationKey)
        .put(derivationSalt)
        .put(streamHeader)
        .array();
  }

  private static byte[] take(ByteBuffer buffer, int length) {
    byte[] out = new byte[length];
    buffer.get(out);
    return out;
  }
}
