package io.haven.archive;

import java.io.Closeable;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Optional;
import javax.crypto.Mac;

/**
 * SHA-256 of a stream computed on its own thread (a {@link Handoff}), so that hashing a part's tar
 * stream overlaps with compression and I/O instead of adding to them. Where the CPU has no SHA
 * instructions (a Raspberry Pi 4's Cortex-A72), Java's SHA-256 runs at about the speed of zstd
 * level 1, so on one thread it would nearly halve the pipeline's speed. Not thread-safe: one
 * producer. Call {@link #digest} once at the end, or {@link #close} to abandon it. With a key it
 * is an HMAC-SHA256 instead, for a protected part (see {@link SecureTar.Plaintext#digestKey()}).
 */
final class BackgroundSha256 implements Closeable {
  private final MessageDigest sha256;
  private final Mac hmac;
  private final Handoff handoff;
  private final byte[] one = new byte[1];

  BackgroundSha256() {
    this(Optional.empty(), Runtime.getRuntime().availableProcessors() > 1);
  }

  BackgroundSha256(boolean background) {
    this(Optional.empty(), background);
  }

  BackgroundSha256(Optional<byte[]> hmacKey, boolean background) {
    sha256 = hmacKey.isPresent() ? null : Sha256.newDigest();
    hmac = hmacKey.map(Keys::hmacSha256).orElse(null);
    Handoff.Consumer update = hmac != null ? hmac::update : sha256::update;
    handoff = new Handoff("haven-sha256", update, background);
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
    return hmac != null ? hmac.doFinal() : sha256.digest();
  }

  /** Ends the hasher thread without waiting for a digest. */
  @Override
  public void close() {
    handoff.close();
  }
}
