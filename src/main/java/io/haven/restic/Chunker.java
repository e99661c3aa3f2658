package io.haven.restic;

import java.io.IOException;
import java.io.InputStream;

/**
 * restic's content-defined chunker: a Rabin fingerprint over a 64-byte window, modulo the
 * repository's polynomial, cuts where its low 20 bits are zero, with chunks of 512 KiB to
 * 8 MiB. The cut points are restic's exactly, so Haven and restic store the same blobs for the
 * same bytes. One chunker serves stream after stream ({@link #start}): its tables, made from the
 * polynomial, and its read buffer of 512 KiB are made once. The caller owns the chunk buffer.
 */
final class Chunker {
  static final int MIN = 512 * 1024;
  static final int MAX = 8 * 1024 * 1024;
  private static final int WINDOW = 64;
  private static final long SPLIT_MASK = (1L << 20) - 1;
  private static final int READ_BUFFER = 512 * 1024;

  private final long[] out = new long[256];
  private final long[] mod = new long[256];
  private final int shift;
  private InputStream in;
  private final byte[] buf = new byte[READ_BUFFER];
  private int bpos;
  private int bmax;
  private boolean eof;

  private final byte[] window = new byte[WINDOW];
  private int wpos;
  private long digest;
  private int pre;
  private int count;

  Chunker(long polynomial) {
    this.shift = Polynomial.degree(polynomial) - 8;
    fillTables(polynomial);
  }

  /** Begins chunking {@code in}, leaving whatever was left of the last stream. */
  Chunker start(InputStream in) {
    this.in = in;
    bpos = 0;
    bmax = 0;
    eof = false;
    reset();
    return this;
  }

  private void fillTables(long pol) {
    for (int b = 0; b < 256; b++) {
      long h = appendByte(0, (byte) b, pol);
      for (int i = 0; i < WINDOW - 1; i++) {
        h = appendByte(h, (byte) 0, pol);
      }
      out[b] = h;
    }
    int k = Polynomial.degree(pol);
    for (int b = 0; b < 256; b++) {
      mod[b] = Polynomial.mod(((long) b) << k, pol) | (((long) b) << k);
    }
  }

  private static long appendByte(long hash, byte b, long pol) {
    return Polynomial.mod((hash << 8) | (b & 0xff), pol);
  }

  private void reset() {
    java.util.Arrays.fill(window, (byte) 0);
    count = 0;
    window[0] = 1;
    digest = update(out[0], (byte) 1);
    wpos = 1;
    // restic hashes nothing before a chunk could end: the first MIN - 64 bytes are skipped
    pre = MIN - WINDOW;
  }

  private long update(long d, byte b) {
    int index = (int) (d >>> shift);
    return ((d << 8) | (b & 0xff)) ^ mod[index];
  }

  /**
   * Fills {@code chunk} (at least {@link #MAX} bytes) with the next chunk.
   *
   * @return its length, or 0 at the end of the stream
   */
  int next(byte[] chunk) throws IOException {
    int length = 0;
    while (true) {
      if (bpos >= bmax) {
        if (!refill()) {
          return length;
        }
      }
      int split = splitPoint();
      int take = split < 0 ? bmax - bpos : split;
      System.arraycopy(buf, bpos, chunk, length, take);
      length += take;
      bpos += take;
      if (split >= 0) {
        return length;
      }
    }
  }

  private boolean refill() throws IOException {
    if (eof) {
      return false;
    }
    int n = in.readNBytes(buf, 0, buf.length);
    if (n < buf.length) {
      eof = true;
    }
    bpos = 0;
    bmax = n;
    return n > 0;
  }

  // Where, counted from bpos, the current chunk ends within the buffer; -1 if not in it.
  private int splitPoint() {
    int start = bpos;
    int end = bmax;
    int skipped = 0;
    if (pre > 0) {
      if (pre >= end - start) {
        pre -= end - start;
        count += end - start;
        return -1;
      }
      skipped = pre;
      start += pre;
      count += pre;
      pre = 0;
    }
    int add = count;
    long d = digest;
    int wp = wpos;
    for (int i = start; i < end; i++) {
      byte b = buf[i];
      int slot = wp % WINDOW;
      d ^= out[window[slot] & 0xff];
      window[slot] = b;
      wp++;
      d = update(d, b);
      add++;
      if (((d & SPLIT_MASK) == 0 || add >= MAX) && add >= MIN) {
        reset();
        return skipped + (i - start) + 1;
      }
    }
    digest = d;
    wpos = wp % WINDOW;
    count += end - start;
    return -1;
  }
}
