package io.haven.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;

/**
 * SecureTar v2 encryption of one part: writes the 48-byte header at once, then AES-128-CBC with
 * PKCS7 padding; closing writes the last padded block and closes the sink.
 */
final class CbcOutputStream extends SecureTar.SecureTarOutput {
  private static final int BUFFER = 64 * 1024;
  private static final int BLOCK = 16;

  private final Cipher cipher;
  private final byte[] sealed = new byte[BUFFER + BLOCK];
  private long plaintextSize;
  private boolean closed;

  /** {@code cipher} is initialised for AES/CBC/PKCS5Padding encryption with the header's IV. */
  CbcOutputStream(OutputStream out, byte[] header, Cipher cipher, byte[] digestKey)
      throws IOException {
    super(out, digestKey);
    this.cipher = cipher;
    out.write(header);
  }

  @Override
  public long plaintextSize() {
    return plaintextSize;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    ensureOpen();
    while (len > 0) {
      int n = Math.min(len, BUFFER);
      try {
        out.write(sealed, 0, cipher.update(b, off, n, sealed, 0));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the buffer holds every block of a slice", e);
      }
      plaintextSize += n;
      off += n;
      len -= n;
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (OutputStream sink = out) {
      sink.write(sealed, 0, cipher.doFinal(sealed, 0));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PKCS7 encryption cannot fail", e);
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("SecureTar v2 stream is closed");
    }
  }

  @Override
  public String toString() {
    return "SecureTarV2(" + out + ")";
  }
}
