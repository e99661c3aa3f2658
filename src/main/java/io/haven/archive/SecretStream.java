package io.haven.archive;

/**
 * libsodium's crypto_secretstream_xchacha20poly1305 (no additional data), one chunk at a time,
 * as docs/format.md section 3 lays it out. Each chunk becomes {@code tag' || ciphertext || mac},
 * 17 bytes longer than its plaintext; the MAC is folded into the nonce after every chunk, so
 * chunks cannot be reordered, dropped or replayed. Not thread-safe: one instance per stream.
 * Both implementations give the same bytes; libsodium's is several times faster.
 */
sealed interface SecretStream permits JavaSecretStream, SodiumSecretStream {
  int HEADER_BYTES = 24;
  /** What a chunk adds to its plaintext: the encrypted tag and the 16-byte MAC. */
  int OVERHEAD = 17;
  /** The largest plaintext of one chunk: SecureTar v3 seals 1 MiB at a time. */
  int MAX_CHUNK = 1 << 20;

  byte TAG_MESSAGE = 0x00;
  byte TAG_FINAL = 0x03;
  /** The tag could not be read: the chunk failed authentication. */
  int FORGED = -1;

  /**
   * The state init_push/init_pull make from a 32-byte key and a 24-byte stream header, in
   * libsodium where it can be loaded, else in Java.
   */
  static SecretStream open(byte[] fileKey, byte[] header) {
    return Sodium.AVAILABLE
        ? new SodiumSecretStream(fileKey, header)
        : new JavaSecretStream(fileKey, header);
  }

  /**
   * Seals {@code len <= MAX_CHUNK} bytes of {@code in} into
   * {@code out[outOff, outOff + len + 17)}.
   */
  void push(byte[] in, int inOff, int len, byte tag, byte[] out, int outOff);

  /**
   * Opens a chunk of {@code 17 <= len <= MAX_CHUNK + 17} bytes into
   * {@code out[outOff, outOff + len - 17)} (which may be the ciphertext's own place,
   * {@code in[inOff + 1]}) and returns its tag, or {@link #FORGED} when the MAC does not match.
   * The caller must not use {@code out} when the chunk is forged; the state is then unchanged,
   * so the stream can go no further.
   */
  int pull(byte[] in, int inOff, int len, byte[] out, int outOff);
}
