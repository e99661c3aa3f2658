package io.haven.archive;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/** Counts and SHA-256-hashes the bytes that pass through on their way to {@code out}. */
final class HashingOutputStream extends FilterOutputStream {
  private final BackgroundSha256 sha256;
  private long count;

  HashingOutputStream(OutputStream out) {
    this(out, Optional.empty());
  }

  /** With {@code hmacKey}, an HMAC-SHA256 instead of the plain SHA-256. */
  HashingOutputStream(OutputStream out, Optional<byte[]> hmacKey) {
    super(out);
    sha256 = new BackgroundSha256(hmacKey, Runtime.getRuntime().availableProcessors() > 1);
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
