package io.haven.archive;

import java.io.FilterInputStream;
import java.io.IOException;

/**
 * SecureTar v3 decryption of one part: authenticates each 1 MiB secretstream chunk before any of
 * its bytes are returned, and ends only at a FINAL tag that comes exactly at the member's end
 * with exactly the header's plaintext size. Anything else is {@link ArchiveException.Corrupt}.
 */
final class SecretStreamInputStream extends FilterInputStream {
  private static final String FORMAT = "SecureTar v3";
  private static final int SEALED_CHUNK = SecretStreamOutputStream.CHUNK + SecretStream.OVERHEAD;

  private final MemberInputStream member;
  private final SecretStream stream;
  private final long expectedSize;
  private final String what;
  /** Holds one chunk; it is decrypted in place, so its plaintext sits at offset 1. */
  private final byte[] chunk = new byte[SEALED_CHUNK];
  private long plaintextSize;
  private long chunks;
  private int pos;
  private int limit;
  private boolean finished;

  /** {@code member} is positioned after the header and ends at the member's end. */
  SecretStreamInputStream(
      MemberInputStream member, SecretStream stream, long expectedSize, String what) {
    super(member);
    this.member = member;
    this.stream = stream;
    this.expectedSize = expectedSize;
    this.what = what;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    while (pos == limit) {
      if (finished) {
        return -1;
      }
      openNextChunk();
    }
    int n = Math.min(len, limit - pos);
    System.arraycopy(chunk, pos, b, off, n);
    pos += n;
    return n;
  }

  private void openNextChunk() throws IOException {
    if (member.remaining() == 0) {
      throw damaged(
          plaintextSize < expectedSize ? "truncated" : "stream not finished (no FINAL tag)");
    }
    int n = member.readUpTo(chunk, 0, (int) Math.min(SEALED_CHUNK, member.remaining()));
    if (n < SecretStream.OVERHEAD) {
      throw damaged("truncated");
    }
    int tag = stream.pull(chunk, 0, n, chunk, 1);
    if (tag == SecretStream.FORGED) {
      throw damaged("authentication failed at chunk " + (chunks + 1));
    }
    chunks++;
    pos = 1;
    limit = 1 + n - SecretStream.OVERHEAD;
    plaintextSize += limit - pos;
    if (tag == SecretStream.TAG_FINAL) {
      finish();
    }
  }

  private void finish() throws ArchiveException.Corrupt {
    if (member.remaining() > 0) {
      throw damaged("data after the end (early FINAL tag) at chunk " + chunks);
    }
    if (plaintextSize != expectedSize) {
      throw damaged(
          "the header says " + expectedSize + " bytes but the stream holds " + plaintextSize);
    }
    finished = true;
  }

  private ArchiveException.Corrupt damaged(String reason) {
    return SecureTarFailures.damaged(what, FORMAT, reason);
  }

  /** Skipped bytes are decrypted (and v3 chunks authenticated) all the same. */
  @Override
  public long skip(long n) throws IOException {
    long skipped = 0;
    while (skipped < n) {
      if (pos == limit) {
        if (finished) {
          break;
        }
        openNextChunk();
        continue;
      }
      int k = (int) Math.min(n - skipped, limit - pos);
      pos += k;
      skipped += k;
    }
    return skipped;
  }

  @Override
  public int available() {
    return limit - pos;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public String toString() {
    return "SecureTarV3(" + in + ")";
  }
}
