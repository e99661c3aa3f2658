package io.haven.archive;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;

/**
 * AES-128-CBC decryption of a v1 or v2 ciphertext of known length, with the PKCS7 padding
 * removed from its last block. v2 padding must be valid (and match the header's plaintext size
 * when that is set); v1 writers padded only some writes, so there padding is removed only when
 * it looks like padding.
 */
final class CbcInputStream extends DecryptingInputStream {
  static final int BLOCK = 16;
  private static final int BUFFER = 64 * 1024;

  /** How the last block's padding is treated. */
  enum Padding {
    /** v2: always PKCS7. */
    REQUIRED,
    /** v1: removed when present. */
    BEST_EFFORT
  }

  private final Cipher cipher;
  private final Padding padding;
  private final long expectedSize;
  private final String what;
  private final String format;
  private final byte[] sealed = new byte[BUFFER];
  private final byte[] plain = new byte[BUFFER];
  private long sealedLeft;
  private long plaintextSize;

  /**
   * @param cipher AES/CBC/NoPadding, initialised for decryption
   * @param sealedLength the ciphertext's length, a multiple of 16 (checked by the caller)
   * @param expectedSize the plaintext size from the header, or 0 when unknown
   */
  CbcInputStream(
      InputStream in,
      Cipher cipher,
      long sealedLength,
      Padding padding,
      long expectedSize,
      String what,
      String format) {
    super(in, "Cbc");
    this.cipher = cipher;
    this.sealedLeft = sealedLength;
    this.padding = padding;
    this.expectedSize = expectedSize;
    this.what = what;
    this.format = format;
  }

  @Override
  protected byte[] plaintext() {
    return plain;
  }

  @Override
  protected boolean nextSlice() throws IOException {
    if (sealedLeft == 0) {
      return false;
    }
    decryptNext();
    return true;
  }

  private void decryptNext() throws IOException {
    int n = (int) Math.min(BUFFER, sealedLeft);
    int got = in.readNBytes(sealed, 0, n);
    if (got < n) {
      throw SecureTarFailures.damaged(what, format, "truncated");
    }
    sealedLeft -= n;
    try {
      limit = cipher.update(sealed, 0, n, plain, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the buffer holds every block of a slice", e);
    }
    pos = 0;
    if (sealedLeft == 0) {
      limit -= paddingLength();
    }
    plaintextSize += limit;
    if (sealedLeft == 0 && expectedSize != 0 && plaintextSize != expectedSize) {
      throw SecureTarFailures.damaged(
          what,
          format,
          "the header says " + expectedSize + " bytes but the data holds " + plaintextSize);
    }
  }

  /** The PKCS7 padding at the end of {@code plain[0, limit)}; v1 may have none. */
  private int paddingLength() throws ArchiveException.Corrupt {
    int length = pkcs7Length(plain, limit);
    if (length > 0 || padding == Padding.BEST_EFFORT) {
      return length;
    }
    throw SecureTarFailures.damaged(what, format, "the padding at its end is invalid");
  }

  /** The PKCS7 padding length ending {@code data[0, end)}, or 0 when the bytes are not padding. */
  static int pkcs7Length(byte[] data, int end) {
    if (end < BLOCK) {
      return 0;
    }
    int length = data[end - 1] & 0xff;
    if (length == 0 || length > BLOCK) {
      return 0;
    }
    for (int i = end - length; i < end; i++) {
      if ((data[i] & 0xff) != length) {
        return 0;
      }
    }
    return length;
  }
}
