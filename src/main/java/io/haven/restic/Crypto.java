package io.haven.restic;

import io.haven.archive.ArchiveException;
import java.io.IOException;
import java.io.OutputStream;
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
  /**
   * Blobs are encrypted and decrypted in slices of this size through a buffer of each thread's:
   * the JDK's cipher copies a whole input it is asked to overwrite, so working in place made an
   * array as large as the blob (up to 8 MiB) for every blob, and a collection of the old
   * generation every few of them under a 64 MiB heap. A multiple of AES's block.
   */
  private static final int SLICE = 64 * 1024;

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
    final byte[] slice = new byte[SLICE];

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

    /**
     * Encrypts {@code buf[from, from + n)} with the IV at {@code iv} to {@code out}, slice by
     * slice, each slice MACed as it is written; {@code buf} is left as it was.
     *
     * @return the MAC, in tag
     */
    byte[] sealTo(byte[] ivBuf, int iv, byte[] buf, int from, int n, OutputStream out)
        throws IOException {
      startMac(ivBuf, iv);
      try {
        ctr.init(Cipher.ENCRYPT_MODE, aes, new IvParameterSpec(ivBuf, iv, IV));
        for (int done = 0; done < n; done += SLICE) {
          int k = Math.min(SLICE, n - done);
          ctr.update(buf, from + done, k, slice, 0);
          poly.update(slice, 0, k);
          out.write(slice, 0, k);
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-256-CTR is part of every Java", e);
      }
      poly.doFinal(tag, 0);
      return tag;
    }

    /** Decrypts {@code buf[from, from + n)} in place, with the IV at {@code iv}. */
    void decryptInPlace(byte[] ivBuf, int iv, byte[] buf, int from, int n) {
      try {
        ctr.init(Cipher.DECRYPT_MODE, aes, new IvParameterSpec(ivBuf, iv, IV));
        for (int done = 0; done < n; done += SLICE) {
          int k = Math.min(SLICE, n - done);
          ctr.update(buf, from + done, k, slice, 0);
          System.arraycopy(slice, 0, buf, from + done, k);
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-256-CTR is part of every Java", e);
      }
    }

    /** Poly1305-AES of {@code buf[from, from + n)} with the nonce at {@code iv}, into tag. */
    byte[] mac(byte[] ivBuf, int iv, byte[] buf, int from, int n) {
      startMac(ivBuf, iv);
      poly.update(buf, from, n);
      poly.doFinal(tag, 0);
      return tag;
    }

    private void startMac(byte[] ivBuf, int iv) {
      try {
        nonce.doFinal(ivBuf, iv, IV, polyKey, 16);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES is part of every Java", e);
      }
      poly.init(new KeyParameter(polyKey));
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
   * Writes {@code IV || ciphertext || MAC} of {@code buf[offset, offset + length)} to
   * {@code out}; no copy of a large blob is made, and {@code buf} is not changed.
   *
   * @return the number of bytes written, length + 32
   */
  int sealTo(byte[] buf, int offset, int length, OutputStream out) throws IOException {
    byte[] iv = random(IV);
    out.write(iv);
    out.write(lanes.get().sealTo(iv, 0, buf, offset, length, out));
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
    lane.decryptInPlace(sealed, offset, sealed, offset + IV, n);
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
