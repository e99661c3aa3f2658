package io.haven.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decrypts its source one slice at a time into a buffer of its own and hands out the plaintext.
 * Skipped bytes are decrypted (and, where the format authenticates, checked) all the same.
 */
abstract class DecryptingInputStream extends FilterInputStream {
  private final String label;
  /** The current slice's plaintext is {@code plaintext()[pos, limit)}. */
  protected int pos;

  protected int limit;

  DecryptingInputStream(InputStream in, String label) {
    super(in);
    this.label = label;
  }

  /** The array that holds the current slice's plaintext. */
  protected abstract byte[] plaintext();

  /** Decrypts the next slice and sets {@code pos} and {@code limit}; false at the end. */
  protected abstract boolean nextSlice() throws IOException;

  @Override
  public final int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public final int read(byte[] b, int off, int len) throws IOException {
    while (pos == limit) {
      if (!nextSlice()) {
        return -1;
      }
    }
    int n = Math.min(len, limit - pos);
    System.arraycopy(plaintext(), pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public final long skip(long n) throws IOException {
    long skipped = 0;
    while (skipped < n) {
      if (pos == limit) {
        if (!nextSlice()) {
          break;
        }
        continue;
      }
      int k = (int) Math.min(n - skipped, limit - pos);
      pos += k;
      skipped += k;
    }
    return skipped;
  }

  @Override
  public final int available() {
    return limit - pos;
  }

  @Override
  public final boolean markSupported() {
    return false;
  }

  @Override
  public String toString() {
    return label + "(" + in + ")";
  }
}
