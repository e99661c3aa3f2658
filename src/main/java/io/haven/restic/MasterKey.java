package io.haven.restic;

/**
 * A repository's master key as restic stores it inside a key file: {@code encrypt} (32 bytes,
 * AES-256) and the Poly1305-AES MAC key, {@code macK} (16 bytes, AES) and {@code macR} (16 bytes).
 */
record MasterKey(byte[] encrypt, byte[] macK, byte[] macR) {
  MasterKey {
    if (encrypt.length != 32 || macK.length != 16 || macR.length != 16) {
      throw new IllegalArgumentException("a master key has 32 + 16 + 16 bytes");
    }
  }

  static MasterKey random() {
    return new MasterKey(Crypto.random(32), Crypto.random(16), Crypto.random(16));
  }

  /** The 64 bytes scrypt gives: the AES key, then k, then r. */
  static MasterKey fromKdf(byte[] key) {
    return new MasterKey(java.util.Arrays.copyOfRange(key, 0, 32),
        java.util.Arrays.copyOfRange(key, 32, 48), java.util.Arrays.copyOfRange(key, 48, 64));
  }
}
