package io.haven.restic;

import io.haven.archive.ArchiveException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * restic's authenticated encryption: {@code IV || AES-256-CTR(plaintext) || Poly1305-AES(ciphertext)}
 * with a fresh random 16-byte IV that is both the counter start and the Poly1305 nonce.
 *
 * <p>Each thread keeps its own ciphers ({@link Lane}): looking a cipher up and expanding its key
 * for every blob, as a new {@code Cipher} and a new Poly1305-AES do, cost about as much as the
 * work for the thousands of small blobs of a data root.
 */
final class Crypto {
  static final int IV = 16;
  static final int MAC = 16;
  static final int OVERHEAD = IV + MAC;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec aes;
  private final SecretKeySpec macK;
  private final byte[] macR;
  private final ThreadLocal<Lane> lanes = ThreadLocal.withInitial(Lane::new);

  /** A master key: 32 bytes for AES-256, and the MAC key as restic splits it, k then r. */
  Crypto(MasterKey key) {
    this.aes = new SecretKeySpec(key.encrypt(), "AES");
    this.macK = new SecretKeySpec(key.macK(), "AES");
    this.macR = key.macR().clone();
  }

  /**
   * One thread's ciphers, keyed once: AES-256-CTR, the AES-128 that turns a nonce into
   * Poly1305's s, and Poly1305 itself (Bouncy Castle clamps r, as restic masks it).
   */
  private final class Lane {
    final Cipher ctr;
    final Cipher nonce;
    final Poly1305 poly = new Poly1305();
    final byte[] polyKey = new byte[32];
    final byte[] tag = new byte[MAC];

    Lane() {
      try {
        ctr = Cipher.getInstance("AES/CTR/NoPadding");
        nonce = Cipher.getInstance("AES/ECB/NoPadding");
        nonce.init(Cipher.ENCRYPT_MODE, macK);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES is part of every Java", e);
      }
      System.arraycopy(macR, 0, polyKey, 0, 16);
    }

    /** AES-256-CTR from the IV at {@code iv}, of {@code in[from, from + n)} into {@code out}. */
    void ctr(int mode, byte[] ivBuf, int iv, byte[] in, int from, int n, byte[] out, int to) {
      try {
        ctr.init(mode, aes, new IvParameterSpec(ivBuf, iv, IV));
        ctr.doFinal(in, from, n, out, to);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-256-CTR is part of every Java", e);
      }
    }

    /** Poly1305-AES of {@code buf[from, from + n)} with the nonce at {@code iv}, into tag. */
    byte[] mac(byte[] ivBuf, int iv, byte[] buf, int from, int n) {
      try {
        nonce.doFinal(ivBuf, iv, IV, polyKey, 16);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES is part of every Java", e);
      }
      poly.init(new KeyParameter(polyKey));
      poly.update(buf, from, n);
      poly.doFinal(tag, 0);
      return tag;
    }
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /** Encrypts {@code length} bytes of {@code plain} into a new array of length + 32. */
  byte[] seal(byte[] plain, int offset, int length) {
    byte[] out = new byte[length + OVERHEAD];
    RANDOM.nextBytes(out);
    Lane lane = lanes.get();
    lane.ctr(Cipher.ENCRYPT_MODE, out, 0, plain, offset, length, out, IV);
    System.arraycopy(lane.mac(out, 0, out, IV, length), 0, out, IV + length, MAC);
    return out;
  }

  /**
   * Encrypts {@code buf[offset, offset + length)} in place and writes
   * {@code IV || ciphertext || MAC} to {@code out}: no copy of a large blob is made.
   *
   * @return the number of bytes written, length + 32
   */
  int sealTo(byte[] buf, int offset, int length, java.io.OutputStream out)
      throws java.io.IOException {
    byte[] iv = random(IV);
    Lane lane = lanes.get();
    lane.ctr(Cipher.ENCRYPT_MODE, iv, 0, buf, offset, length, buf, offset);
    byte[] tag = lane.mac(iv, 0, buf, offset, length);
    out.write(iv);
    out.write(buf, offset, length);
    out.write(tag);
    return length + OVERHEAD;
  }

  byte[] seal(byte[] plain) {
    return seal(plain, 0, plain.length);
  }

  /**
   * Checks the MAC and decrypts; {@code what} names the object in the message.
   *
   * @throws ArchiveException.Corrupt if the bytes were changed or the key is not this one
   */
  byte[] open(byte[] sealed, int offset, int length, String what) throws ArchiveException {
    int n = openInPlace(sealed, offset, length, what);
    return java.util.Arrays.copyOfRange(sealed, offset + IV, offset + IV + n);
  }

  /**
   * Checks the MAC and decrypts {@code sealed[offset, offset + length)} where it lies: the
   * plaintext is then at {@code offset + IV}, no array made for it.
   *
   * @return the plaintext's length, length - 32
   * @throws ArchiveException.Corrupt if the bytes were changed or the key is not this one
   */
  int openInPlace(byte[] sealed, int offset, int length, String what) throws ArchiveException {
    if (length < OVERHEAD) {
      throw new ArchiveException.Corrupt(what + " is " + length + " bytes, too short to be"
          + " encrypted data (at least 32). The repository is damaged; run verify.");
    }
    int n = length - OVERHEAD;
    Lane lane = lanes.get();
    if (!matches(lane.mac(sealed, offset, sealed, offset + IV, n), sealed, offset + IV + n)) {
      throw new ArchiveException.Corrupt(what + " fails its authentication check: its bytes"
          + " were changed or damaged. Run verify to find every damaged object.");
    }
    lane.ctr(Cipher.DECRYPT_MODE, sealed, offset, sealed, offset + IV, n, sealed, offset + IV);
    return n;
  }

  byte[] open(byte[] sealed, String what) throws ArchiveException {
    return open(sealed, 0, sealed.length, what);
  }

  /** Whether the MAC matches, without decrypting: how a wrong password is told apart. */
  boolean authentic(byte[] sealed) {
    if (sealed.length < OVERHEAD) {
      return false;
    }
    int n = sealed.length - OVERHEAD;
    return matches(lanes.get().mac(sealed, 0, sealed, IV, n), sealed, IV + n);
  }

  // In constant time, as MessageDigest.isEqual compares, without copying the stored tag out.
  private static boolean matches(byte[] tag, byte[] buf, int at) {
    int diff = 0;
    for (int i = 0; i < MAC; i++) {
      diff |= tag[i] ^ buf[at + i];
    }
    return diff == 0;
  }
}
