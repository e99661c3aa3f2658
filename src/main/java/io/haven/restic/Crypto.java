package io.haven.restic;

import io.haven.archive.ArchiveException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * restic's authenticated encryption: {@code IV || AES-256-CTR(plaintext) || Poly1305-AES(ciphertext)}
 * with a fresh random 16-byte IV that is both the counter start and the Poly1305 nonce.
 */
final class Crypto {
  static final int IV = 16;
  static final int MAC = 16;
  static final int OVERHEAD = IV + MAC;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec aes;
  // Bouncy Castle's Poly1305-AES key: r (clamped by Bouncy Castle, as restic masks it) then k.
  private final byte[] polyKey = new byte[32];

  /** A master key: 32 bytes for AES-256, and the MAC key as restic splits it, k then r. */
  Crypto(MasterKey key) {
    this.aes = new SecretKeySpec(key.encrypt(), "AES");
    System.arraycopy(key.macR(), 0, polyKey, 0, 16);
    System.arraycopy(key.macK(), 0, polyKey, 16, 16);
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
    try {
      Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, aes, new IvParameterSpec(out, 0, IV));
      c.doFinal(plain, offset, length, out, IV);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-CTR is part of every Java", e);
    }
    mac(out, 0, length, out, IV + length);
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
    try {
      Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, aes, new IvParameterSpec(iv));
      c.doFinal(buf, offset, length, buf, offset);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-CTR is part of every Java", e);
    }
    Poly1305 poly = new Poly1305(AESEngine.newInstance());
    poly.init(new ParametersWithIV(new KeyParameter(polyKey), iv));
    poly.update(buf, offset, length);
    byte[] tag = new byte[MAC];
    poly.doFinal(tag, 0);
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
    if (length < OVERHEAD) {
      throw new ArchiveException.Corrupt(what + " is " + length + " bytes, too short to be"
          + " encrypted data (at least 32). The repository is damaged; run verify.");
    }
    int n = length - OVERHEAD;
    byte[] expected = new byte[MAC];
    mac(sealed, offset, n, expected, 0);
    if (!MessageDigest.isEqual(expected,
        java.util.Arrays.copyOfRange(sealed, offset + IV + n, offset + length))) {
      throw new ArchiveException.Corrupt(what + " fails its authentication check: its bytes"
          + " were changed or damaged. Run verify to find every damaged object.");
    }
    try {
      Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
      c.init(Cipher.DECRYPT_MODE, aes, new IvParameterSpec(sealed, offset, IV));
      return c.doFinal(sealed, offset + IV, n);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-CTR is part of every Java", e);
    }
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
    byte[] expected = new byte[MAC];
    mac(sealed, 0, n, expected, 0);
    return MessageDigest.isEqual(expected,
        java.util.Arrays.copyOfRange(sealed, IV + n, sealed.length));
  }

  // The MAC covers the ciphertext only; the IV (at ivOffset) is the Poly1305-AES nonce.
  private void mac(byte[] buf, int ivOffset, int cipherLength, byte[] out, int outOffset) {
    Poly1305 poly = new Poly1305(AESEngine.newInstance());
    byte[] nonce = java.util.Arrays.copyOfRange(buf, ivOffset, ivOffset + IV);
    poly.init(new ParametersWithIV(new KeyParameter(polyKey), nonce));
    poly.update(buf, ivOffset + IV, cipherLength);
    poly.doFinal(out, outOffset);
  }
}
