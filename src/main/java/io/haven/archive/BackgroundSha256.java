package io.haven.archive;

import java.io.Closeable;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * SHA-256 of a stream computed on its own thread, so that hashing a part's tar stream overlaps
 * with compression and I/O instead of adding to them. Where the CPU has no SHA instructions
 * (a Raspberry Pi 4's Cortex-A72), Java's SHA-256 runs at about the speed of zstd level 1, so on
 * one thread it would nearly halve the pipeline's speed. Bytes are copied into one of
 * {@link #BUFFERS} fixed buffers and handed over; a writer that gets ahead waits, so memory stays
 * at {@code BUFFERS * BUFFER_SIZE}. With one CPU it hashes inline. Not thread-safe: one producer.
 * Call {@link #digest} once at the end, or {@link #close} to abandon it; either ends the thread.
 */
final class BackgroundSha256 implements Closeable {
  static final int BUFFER_SIZE = 256 * 1024;
  static final int BUFFERS = 4;
  private static final Chunk END = new Chunk(new byte[0]);

  private final MessageDigest sha256 = Sha256.newDigest();
  private final BlockingQueue<Chunk> full;
  private final BlockingQueue<Chunk> free;
  private final Thread hasher;
  private Chunk current;
  private boolean ended;

  private static final class Chunk {
    final byte[] bytes;
    int length;

    Chunk(byte[] bytes) {
      this.bytes = bytes;
    }
  }

  BackgroundSha256() {
    this(Runtime.getRuntime().availableProcessors() > 1);
  }

  BackgroundSha256(boolean background) {
    if (!background) {
      full = null;
      free = null;
      hasher = null;
      return;
    }
    full = new ArrayBlockingQueue<>(BUFFERS + 1);
    free = new ArrayBlockingQueue<>(BUFFERS);
    for (int i = 0; i < BUFFERS; i++) {
      free.add(new Chunk(new byte[BUFFER_SIZE]));
    }
    hasher = new Thread(this::hashUntilEnd, "haven-sha256");
    hasher.setDaemon(true); // never keeps the JVM alive; close() ends it anyway
    hasher.start();
  }

  private final byte[] one = new byte[1];

  void update(byte b) throws InterruptedIOException {
    one[0] = b;
    update(one, 0, 1);
  }

  void update(byte[] b, int off, int len) throws InterruptedIOException {
    if (hasher == null) {
      sha256.update(b, off, len);
      return;
    }
    while (len > 0) {
      if (current == null) {
        current = take(free);
        current.length = 0;
      }
      int n = Math.min(len, BUFFER_SIZE - current.length);
      System.arraycopy(b, off, current.bytes, current.length, n);
      current.length += n;
      off += n;
      len -= n;
      if (current.length == BUFFER_SIZE) {
        put(current);
        current = null;
      }
    }
  }

  /** The digest of everything updated; waits for the hasher to catch up. */
  byte[] digest() throws InterruptedIOException {
    if (hasher != null) {
      if (current != null) {
        put(current);
        current = null;
      }
      end();
      try {
        hasher.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while finishing a SHA-256");
      }
    }
    return sha256.digest();
  }

  /** Ends the hasher thread without waiting for a digest. */
  @Override
  public void close() {
    if (hasher != null && !ended) {
      full.clear();
      full.offer(END); // room is certain: the queue was just emptied, and nothing else adds
      ended = true;
    }
  }

  private void end() throws InterruptedIOException {
    if (!ended) {
      put(END);
      ended = true;
    }
  }

  private void hashUntilEnd() {
    try {
      for (Chunk c = full.take(); c != END; c = full.take()) {
        sha256.update(c.bytes, 0, c.length);
        free.put(c);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void put(Chunk c) throws InterruptedIOException {
    try {
      full.put(c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while hashing");
    }
  }

  private Chunk take(BlockingQueue<Chunk> q) throws InterruptedIOException {
    try {
      return q.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while hashing");
    }
  }
}
