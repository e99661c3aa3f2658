package io.haven.archive;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Counts and SHA-256-hashes the bytes that pass through on their way to {@code out}. */
final class HashingOutputStream extends FilterOutputStream {
  private final MessageDigest sha256 = Sha256.newDigest();
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
  String sha256Hex() {
    return Sha256.hex(sha256.digest());
  }

  @Override
  public String toString() {
    return "Hashing(" + out + ")";
  }
}
