package io.haven.archive;

import java.io.IOException;

/**
 * SecureTar v3 decryption of one part: authenticates each 1 MiB secretstream chunk before any of
 * its bytes are returned, and ends only at a FINAL tag that comes exactly at the member's end
 * with exactly the header's plaintext size. Anything else is {@link ArchiveException.Corrupt}.
 */
final class SecretStreamInputStream extends DecryptingInputStream {
  private static final String FORMAT = "SecureTar v3";
  private static final int SEALED_CHUNK = SecretStream.MAX_CHUNK + SecretStream.OVERHEAD;

  private final MemberInputStream member;
  private final SecretStream stream;
  private final long expectedSize;
  private final String what;
  /** Holds one chunk; it is decrypted in place, so its plaintext sits at offset 1. */
  private final byte[] chunk = new byte[SEALED_CHUNK];
  private long plaintextSize;
  private long chunks;
  private boolean finished;

  /** {@code member} is positioned after the header and ends at the member's end. */
  SecretStreamInputStream(
      MemberInputStream member, SecretStream stream, long expectedSize, String what) {
    super(member, "SecureTarV3");
    this.member = member;
    this.stream = stream;
    this.expectedSize = expectedSize;
    this.what = what;
  }

  @Override
  protected byte[] plaintext() {
    return chunk;
  }

  @Override
  protected boolean nextSlice() throws IOException {
    if (finished) {
      return false;
    }
    openNextChunk();
    return true;
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
}
