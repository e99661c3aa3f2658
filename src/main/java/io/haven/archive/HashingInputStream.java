package io.haven.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Counts and SHA-256-hashes the bytes read through it. */
final class HashingInputStream extends FilterInputStream {
  private final BackgroundSha256 sha256;
  private long count;

  HashingInputStream(InputStream in) {
    this(in, Optional.empty());
  }

  /** With {@code hmacKey}, an HMAC-SHA256 instead of the plain SHA-256. */
  HashingInputStream(InputStream in, Optional<byte[]> hmacKey) {
    this(in, hmacKey, Runtime.getRuntime().availableProcessors() > 1);
  }

  /**
   * As {@link #HashingInputStream(InputStream, Optional)}, hashing on a thread of its own only
   * when {@code background}: a reader that already runs on its own thread hashes inline.
   */
  HashingInputStream(InputStream in, Optional<byte[]> hmacKey, boolean background) {
    super(in);
    sha256 = new BackgroundSha256(hmacKey, background);
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      sha256.update((byte) b);
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      sha256.update(b, off, n);
      count += n;
    }
    return n;
  }

  // Skipping would leave bytes out of the hash: read them instead.
  @Override
  public long skip(long n) throws IOException {
    byte[] scratch = new byte[(int) Math.min(n, 64 * 1024)];
    long skipped = 0;
    while (skipped < n) {
      int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  long count() {
    return count;
  }

  String sha256Hex() throws IOException {
    return Sha256.hex(sha256.digest());
  }

  /** Ends the hashing thread when the stream is abandoned before its digest was taken. */
  void stopHashing() {
    sha256.close();
  }

  @Override
  public String toString() {
    return "Hashing(" + in + ")";
  }
}
