package io.haven.archive;

import java.io.Closeable;
import java.io.IOException;
import java.security.MessageDigest;

/**
 * SHA-256 of a stream computed on its own thread (a {@link Handoff}), so that hashing a part's tar
 * stream overlaps with compression and I/O instead of adding to them. Where the CPU has no SHA
 * instructions (a Raspberry Pi 4's Cortex-A72), Java's SHA-256 runs at about the speed of zstd
 * level 1, so on one thread it would nearly halve the pipeline's speed. Not thread-safe: one
 * producer. Call {@link #digest} once at the end, or {@link #close} to abandon it.
 */
final class BackgroundSha256 implements Closeable {
  private final MessageDigest sha256 = Sha256.newDigest();
  private final Handoff handoff;
  private final byte[] one = new byte[1];

  BackgroundSha256() {
    handoff = new Handoff("haven-sha256", sha256::update);
  }

  BackgroundSha256(boolean background) {
    handoff = new Handoff("haven-sha256", sha256::update, background);
  }

  void update(byte b) throws IOException {
    one[0] = b;
    handoff.write(one, 0, 1);
  }

  void update(byte[] b, int off, int len) throws IOException {
    handoff.write(b, off, len);
  }

  /** The digest of everything updated; waits for the hasher to catch up. */
  byte[] digest() throws IOException {
    handoff.finish();
    return sha256.digest();
  }

  /** Ends the hasher thread without waiting for a digest. */
  @Override
  public void close() {
    handoff.close();
  }
}
