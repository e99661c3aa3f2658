package io.haven.archive;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * {@link SecretStream} in Java, for where libsodium cannot be loaded. The keystream is the JDK's
 * ChaCha20 (RFC 7539, as libsodium's chacha20_ietf), which XORs whole words and runs about 1.5
 * times as fast as Bouncy Castle's byte-wise engine; Poly1305 is Bouncy Castle's, as the JDK keeps
 * its own private.
 */
final class JavaSecretStream implements SecretStream {
  private static final int TAG_REKEY = 0x02;
  private static final int BLOCK = 64;
  private static final int MAC_BYTES = 16;
  private static final byte[] ZEROS = new byte[16];
  /**
   * Encrypt and MAC a chunk in slices that stay in the CPU cache, rather than in two passes over
   * 1 MiB; a multiple of 64 so the keystream continues across slices.
   */
  private static final int SLICE = 16 * 1024;

  private final byte[] key;
  /** LE32 block counter, then the 8-byte inner nonce. */
  private final byte[] nonce = new byte[12];

  private final Cipher chacha = chacha20();
  private final Poly1305 poly = new Poly1305();
  private final byte[] block = new byte[BLOCK];
  private final byte[] mac = new byte[MAC_BYTES];
  private final byte[] lengths = new byte[16];

  JavaSecretStream(byte[] fileKey, byte[] header) {
    key = HChaCha20.subkey(fileKey, Arrays.copyOf(header, 16));
    System.arraycopy(header, 16, nonce, 4, 8);
    resetCounter();
  }

  @Override
  public void push(byte[] in, int inOff, int len, byte tag, byte[] out, int outOff) {
    startChunk();
    Arrays.fill(block, (byte) 0);
    block[0] = tag;
    xor(block, 0, BLOCK, block, 0);
    poly.update(block, 0, BLOCK);
    out[outOff] = block[0];
    for (int done = 0; done < len; done += SLICE) {
      int n = Math.min(SLICE, len - done);
      xor(in, inOff + done, n, out, outOff + 1 + done);
      poly.update(out, outOff + 1 + done, n);
    }
    finishMac(len);
    System.arraycopy(mac, 0, out, outOff + 1 + len, MAC_BYTES);
    advance(tag);
  }

  /**
   * {@inheritDoc} {@code out} is written even when the chunk is forged: MAC and decryption share
   * one pass over the cache.
   */
  @Override
  public int pull(byte[] in, int inOff, int len, byte[] out, int outOff) {
    int textLen = len - OVERHEAD;
    startChunk();
    Arrays.fill(block, (byte) 0);
    block[0] = in[inOff];
    xor(block, 0, BLOCK, block, 0);
    int tag = block[0] & 0xff;
    block[0] = in[inOff];
    poly.update(block, 0, BLOCK);
    for (int done = 0; done < textLen; done += SLICE) {
      int n = Math.min(SLICE, textLen - done);
      poly.update(in, inOff + 1 + done, n);
      xor(in, inOff + 1 + done, n, out, outOff + done);
    }
    finishMac(textLen);
    if (!macMatches(in, inOff + 1 + textLen)) {
      return FORGED;
    }
    advance((byte) tag);
    return tag;
  }

  /** Keystream block 0 keys Poly1305; the chacha engine then stands at block 1. */
  private void startChunk() {
    startKeystream();
    Arrays.fill(block, (byte) 0);
    xor(block, 0, BLOCK, block, 0);
    poly.init(new KeyParameter(block, 0, 32));
  }

  private void finishMac(int textLen) {
    long sealedLen = BLOCK + (long) textLen;
    // libsodium pads with (0x10 - 64 + mlen) & 0xf zero bytes, which is mlen % 16, not a pad
    // to a 16-byte boundary; every secretstream in the wild is made this way.
    poly.update(ZEROS, 0, textLen & 15);
    Arrays.fill(lengths, 0, 8, (byte) 0); // no additional data
    for (int i = 0; i < 8; i++) {
      lengths[8 + i] = (byte) (sealedLen >>> (8 * i));
    }
    poly.update(lengths, 0, lengths.length);
    poly.doFinal(mac, 0);
  }

  private boolean macMatches(byte[] in, int off) {
    int diff = 0;
    for (int i = 0; i < MAC_BYTES; i++) {
      diff |= mac[i] ^ in[off + i];
    }
    return diff == 0;
  }

  private void advance(byte tag) {
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] ^= mac[i];
    }
    boolean wrapped = true;
    for (int i = 0; i < 4 && wrapped; i++) {
      nonce[i]++;
      wrapped = nonce[i] == 0;
    }
    if ((tag & TAG_REKEY) != 0 || wrapped) {
      rekey();
    }
  }

  /** libsodium's rekey: key and inner nonce are replaced by themselves XOR the keystream. */
  private void rekey() {
    byte[] keyAndNonce = Arrays.copyOf(key, 40);
    System.arraycopy(nonce, 4, keyAndNonce, 32, 8);
    startKeystream();
    xor(keyAndNonce, 0, 40, keyAndNonce, 0);
    System.arraycopy(keyAndNonce, 0, key, 0, 32);
    System.arraycopy(keyAndNonce, 32, nonce, 4, 8);
    resetCounter();
  }

  /** Block 0 of the keystream for the current key and nonce comes next. */
  private void startKeystream() {
    try {
      // Every init has a nonce or key never used before in this stream, as the JDK demands.
      chacha.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"),
          new ChaCha20ParameterSpec(nonce, 0));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20 refused a 32-byte key and 12-byte nonce", e);
    }
  }

  /** XORs the next {@code len} keystream bytes over {@code in} into {@code out} (may be in). */
  private void xor(byte[] in, int inOff, int len, byte[] out, int outOff) {
    try {
      chacha.update(in, inOff, len, out, outOff);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20's output always fits its input's place", e);
    }
  }

  private static Cipher chacha20() {
    try {
      return Cipher.getInstance("ChaCha20");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no ChaCha20 (Java 11 and later do)", e);
    }
  }

  private void resetCounter() {
    Arrays.fill(nonce, 0, 4, (byte) 0);
    nonce[0] = 1;
  }
}
