package io.haven.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads gzip (RFC 1952), one or more members, checking each member's CRC32 and length. Unlike
 * {@link java.util.zip.GZIPInputStream} it accepts the SecureTar v1 quirk: old writers padded
 * every unaligned write before encrypting, so PKCS7 padding may sit after the deflate data and
 * after each 4-byte trailer field. Such padding is skipped; a checksum that does not match is
 * still {@link ArchiveException.Corrupt}. Bytes after the last member that are not gzip are
 * ignored, as gzip(1) does.
 */
final class TolerantGzipInputStream extends FilterInputStream {
  private static final int BUFFER = 64 * 1024;
  private static final int MAX_PADDING = 16;
  private static final int FHCRC = 0x02;
  private static final int FEXTRA = 0x04;
  private static final int FNAME = 0x08;
  private static final int FCOMMENT = 0x10;

  private final String what;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  /** Compressed bytes; {@code [pos, limit)} is not yet consumed (nor given to the inflater). */
  private final byte[] buf = new byte[BUFFER];
  private int pos;
  private int limit;
  private long memberLength;
  private boolean started;
  private boolean done;

  TolerantGzipInputStream(InputStream in, String what) {
    super(in);
    this.what = what;
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
    if (!started) {
      started = true;
      readHeader();
    }
    while (!done) {
      int n = inflate(b, off, len);
      if (n > 0) {
        crc.update(b, off, n);
        memberLength += n;
        return n;
      }
      if (inflater.finished()) {
        pos = limit - inflater.getRemaining();
        readTrailer();
        done = !nextMember();
      } else if (inflater.needsInput()) {
        feedInflater();
      } else if (inflater.needsDictionary()) {
        throw corrupt("its deflate data asks for a preset dictionary", null);
      }
    }
    return -1;
  }

  private int inflate(byte[] b, int off, int len) throws IOException {
    try {
      return inflater.inflate(b, off, len);
    } catch (DataFormatException e) {
      throw corrupt("its deflate data is invalid (" + e.getMessage() + ")", e);
    }
  }

  private void feedInflater() throws IOException {
    if (pos == limit && !fill(1)) {
      throw corrupt("truncated inside its deflate data", null);
    }
    inflater.setInput(buf, pos, limit - pos);
    pos = limit;
  }

  private void readHeader() throws IOException {
    if (!fill(10)) {
      throw corrupt("it is not gzip (too short for a header)", null);
    }
    if (buf[pos] != 0x1f || buf[pos + 1] != (byte) 0x8b || buf[pos + 2] != 8) {
      throw corrupt("it is not gzip (no gzip magic)", null);
    }
    int flags = buf[pos + 3];
    pos += 10;
    if ((flags & FEXTRA) != 0) {
      skipHeaderBytes(readByte() | readByte() << 8);
    }
    if ((flags & FNAME) != 0) {
      skipZeroTerminated();
    }
    if ((flags & FCOMMENT) != 0) {
      skipZeroTerminated();
    }
    if ((flags & FHCRC) != 0) {
      skipHeaderBytes(2);
    }
    inflater.reset();
    crc.reset();
    memberLength = 0;
  }

  private void readTrailer() throws IOException {
    expect(crc.getValue(), "CRC32");
    expect(memberLength & 0xffffffffL, "length");
  }

  /** Reads a 4-byte little-endian trailer field, directly here or after one run of padding. */
  private void expect(long value, String field) throws IOException {
    if (!fill(4)) {
      throw corrupt("truncated before its " + field, null);
    }
    if (le32(pos) == value) {
      pos += 4;
      return;
    }
    int padding = paddingRun();
    if (padding > 0 && fill(padding + 4) && le32(pos + padding) == value) {
      pos += padding + 4;
      return;
    }
    throw corrupt(
        String.format("%s mismatch: expected 0x%08x, found 0x%08x", field, value, le32(pos)), null);
  }

  /** After a member: skips padding, then tells whether another gzip member follows. */
  private boolean nextMember() throws IOException {
    if (fill(1)) {
      pos += paddingRun();
    }
    if (!fill(2) || buf[pos] != 0x1f || buf[pos + 1] != (byte) 0x8b) {
      return false;
    }
    readHeader();
    return true;
  }

  /** The length of PKCS7 padding at {@code pos} (n bytes of value n), or 0. */
  private int paddingRun() throws IOException {
    int n = buf[pos] & 0xff;
    if (n == 0 || n > MAX_PADDING || !fill(n)) {
      return 0;
    }
    for (int i = pos; i < pos + n; i++) {
      if (buf[i] != n) {
        return 0;
      }
    }
    return n;
  }

  private long le32(int at) {
    return (buf[at] & 0xffL)
        | (buf[at + 1] & 0xffL) << 8
        | (buf[at + 2] & 0xffL) << 16
        | (buf[at + 3] & 0xffL) << 24;
  }

  private int readByte() throws IOException {
    if (!fill(1)) {
      throw corrupt("truncated inside its header", null);
    }
    return buf[pos++] & 0xff;
  }

  private void skipHeaderBytes(int n) throws IOException {
    for (int i = 0; i < n; i++) {
      readByte();
    }
  }

  private void skipZeroTerminated() throws IOException {
    while (readByte() != 0) {
      // a file name or comment, not needed
    }
  }

  /** Makes at least {@code n} unconsumed bytes available; false when the source ends first. */
  private boolean fill(int n) throws IOException {
    if (limit - pos >= n) {
      return true;
    }
    System.arraycopy(buf, pos, buf, 0, limit - pos);
    limit -= pos;
    pos = 0;
    while (limit < n) {
      int got = in.read(buf, limit, buf.length - limit);
      if (got < 0) {
        return false;
      }
      limit += got;
    }
    return true;
  }

  private ArchiveException.Corrupt corrupt(String reason, Throwable cause) {
    return new ArchiveException.Corrupt(
        "Cannot read " + what + " (gzip): " + reason + "; the archive is damaged; use another copy.",
        cause);
  }

  /** Skipped bytes are inflated and checked all the same. */
  @Override
  public long skip(long n) throws IOException {
    byte[] scratch = new byte[(int) Math.min(n, 8192)];
    long skipped = 0;
    while (skipped < n) {
      int got = read(scratch, 0, (int) Math.min(n - skipped, scratch.length));
      if (got < 0) {
        break;
      }
      skipped += got;
    }
    return skipped;
  }

  @Override
  public int available() throws IOException {
    return done ? 0 : 1;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public void close() throws IOException {
    inflater.end();
    super.close();
  }

  @Override
  public String toString() {
    return "TolerantGzip(" + in + ")";
  }
}
