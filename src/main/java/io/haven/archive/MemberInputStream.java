package io.haven.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads exactly one member of a known size: ends after {@code size} bytes, and fails as truncated
 * when the source ends sooner. Closing it leaves the source open: the source is usually the
 * outer tar, whose next entries are still to be read.
 */
final class MemberInputStream extends FilterInputStream {
  private final String what;
  private final String format;
  private long remaining;

  MemberInputStream(InputStream in, long size, String what, String format) {
    super(in);
    if (size < 0) {
      throw new IllegalArgumentException("member size < 0: " + size);
    }
    this.remaining = size;
    this.what = what;
    this.format = format;
  }

  /** Bytes of the member not read yet. */
  long remaining() {
    return remaining;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (remaining == 0) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, remaining));
    if (n < 0) {
      throw SecureTarFailures.damaged(what, format, "truncated: " + remaining + " bytes missing");
    }
    remaining -= n;
    return n;
  }

  /** Fills {@code b} from {@code off} with {@code len} bytes; fewer only at the member's end. */
  int readUpTo(byte[] b, int off, int len) throws IOException {
    int total = 0;
    while (total < len) {
      int n = read(b, off + total, len - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = in.skip(Math.min(n, remaining));
    remaining -= skipped;
    return skipped;
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(in.available(), remaining);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public void close() {
    // The source belongs to the caller.
  }

  @Override
  public String toString() {
    return "Member(" + in + ")";
  }
}
