package io.haven.archive;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Counts and SHA-256-hashes the bytes that pass through on their way to {@code out}. */
final class HashingOutputStream extends FilterOutputStream {
  private final BackgroundSha256 sha256 = new BackgroundSha256();
  private long count;

  HashingOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    sha256.update((byte) b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    sha256.update(b, off, len);
    count += len;
  }

  long count() {
    return count;
  }

  /** The hex digest; call once, after the last write. */
  String sha256Hex() throws IOException {
    return Sha256.hex(sha256.digest());
  }

  /** Ends the hashing thread when the stream is abandoned before its digest was taken. */
  void stopHashing() {
    sha256.close();
  }

  @Override
  public String toString() {
    return "Hashing(" + out + ")";
  }
}
