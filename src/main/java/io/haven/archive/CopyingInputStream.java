package io.haven.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Every byte read through it (skipped ones too) is written to {@code out}. */
final class CopyingInputStream extends FilterInputStream {
  private static final int BUFFER = 256 * 1024;

  private final OutputStream out;
  private final byte[] scratch = new byte[BUFFER];

  CopyingInputStream(InputStream in, OutputStream out) {
    super(in);
    this.out = out;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      out.write(b);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      out.write(b, off, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    return Math.max(read(scratch, 0, (int) Math.min(n, scratch.length)), 0);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Passes on what the decompressor left unread (a trailer, padding). */
  void drain() throws IOException {
    while (read(scratch, 0, scratch.length) >= 0) {
      // written by read
    }
  }

  @Override
  public void close() {
    // the member's stream is closed by its owner
  }

  @Override
  public String toString() {
    return "Copying(" + in + ", " + out + ")";
  }
}

