package io.haven.archive;

/**
 * HChaCha20 (draft-irtf-cfrg-xchacha, section 2.2): a 32-byte subkey from a key and a 16-byte
 * input, the first step of XChaCha20. Bouncy Castle has ChaCha20 but does not expose this.
 */
final class HChaCha20 {
  private static final int[] SIGMA = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
  private static final int DOUBLE_ROUNDS = 10;

  private HChaCha20() {}

  static byte[] subkey(byte[] key, byte[] input) {
    int[] x = new int[16];
    System.arraycopy(SIGMA, 0, x, 0, 4);
    for (int i = 0; i < 8; i++) {
      x[4 + i] = le32(key, 4 * i);
    }
    for (int i = 0; i < 4; i++) {
      x[12 + i] = le32(input, 4 * i);
    }
    for (int i = 0; i < DOUBLE_ROUNDS; i++) {
      quarterRound(x, 0, 4, 8, 12);
      quarterRound(x, 1, 5, 9, 13);
      quarterRound(x, 2, 6, 10, 14);
      quarterRound(x, 3, 7, 11, 15);
      quarterRound(x, 0, 5, 10, 15);
      quarterRound(x, 1, 6, 11, 12);
      quarterRound(x, 2, 7, 8, 13);
      quarterRound(x, 3, 4, 9, 14);
    }
    byte[] out = new byte[32];
    for (int i = 0; i < 4; i++) {
      putLe32(out, 4 * i, x[i]);
      putLe32(out, 16 + 4 * i, x[12 + i]);
    }
    return out;
  }

  private static void quarterRound(int[] x, int a, int b, int c, int d) {
    x[a] += x[b];
    x[d] = Integer.rotateLeft(x[d] ^ x[a], 16);
    x[c] += x[d];
    x[b] = Integer.rotateLeft(x[b] ^ x[c], 12);
    x[a] += x[b];
    x[d] = Integer.rotateLeft(x[d] ^ x[a], 8);
    x[c] += x[d];
    x[b] = Integer.rotateLeft(x[b] ^ x[c], 7);
  }

  private static int le32(byte[] b, int off) {
    return (b[off] & 0xff)
        | (b[off + 1] & 0xff) << 8
        | (b[off + 2] & 0xff) << 16
        | (b[off + 3] & 0xff) << 24;
  }

  private static void putLe32(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
    b[off + 3] = (byte) (v >>> 24);
  }
}
