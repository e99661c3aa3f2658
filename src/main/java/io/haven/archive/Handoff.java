package io.haven.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * Passes bytes to a consumer that runs on a thread of its own, so that one stage of a pipeline
 * (hashing, encryption) overlaps with the stages before it instead of adding to them. Bytes are
 * copied into fixed {@link Chunks} and handed over; a producer that gets ahead waits, so memory
 * stays bounded. With one CPU the consumer runs inline.
 *
 * <p>A consumer's failure ends nothing at once: the thread keeps taking chunks (without passing
 * them on) so the producer never waits forever, and the producer's next {@link #write} or
 * {@link #finish} throws it. Not thread-safe: one producer. Call {@link #finish} once at the end,
 * or {@link #close} to abandon the handoff; either ends the thread.
 */
final class Handoff implements Closeable {
  /** Takes bytes on the handoff's thread, in order. */
  interface Consumer {
    void accept(byte[] b, int off, int len) throws IOException;
  }

  private final Consumer consumer;
  private final Chunks chunks;
  private final Thread thread;
  private volatile IOException failure;
  private Chunks.Chunk current;
  private boolean ended;

  /** A handoff to a thread named {@code name}, or inline where there is a single CPU. */
  Handoff(String name, Consumer consumer) {
    this(name, consumer, Runtime.getRuntime().availableProcessors() > 1);
  }

  Handoff(String name, Consumer consumer, boolean background) {
    this.consumer = consumer;
    if (!background) {
      chunks = null;
      thread = null;
      return;
    }
    chunks = new Chunks(name);
    thread = new Thread(this::consumeUntilEnd, name);
    thread.setDaemon(true); // never keeps the JVM alive; close() ends it anyway
    thread.start();
  }

  void write(byte[] b, int off, int len) throws IOException {
    if (thread == null) {
      consumer.accept(b, off, len);
      return;
    }
    rethrow();
    while (len > 0) {
      if (current == null) {
        current = chunks.takeFree();
        current.length = 0;
      }
      int n = Math.min(len, Chunks.SIZE - current.length);
      System.arraycopy(b, off, current.bytes, current.length, n);
      current.length += n;
      off += n;
      len -= n;
      if (current.length == Chunks.SIZE) {
        chunks.putFull(current);
        current = null;
      }
    }
  }

  /** Waits until the consumer has taken every byte written; throws its failure, if any. */
  void finish() throws IOException {
    if (thread != null) {
      if (current != null) {
        chunks.putFull(current);
        current = null;
      }
      if (!ended) {
        chunks.end(false);
        ended = true;
      }
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for " + thread.getName());
      }
      rethrow();
    }
  }

  /** Ends the thread without waiting for the bytes still queued. */
  @Override
  public void close() {
    if (thread != null && !ended) {
      chunks.end(true);
      ended = true;
    }
  }

  private void consumeUntilEnd() {
    try {
      for (Chunks.Chunk c = chunks.takeFull(); c != Chunks.END; c = chunks.takeFull()) {
        if (failure == null) {
          try {
            consumer.accept(c.bytes, 0, c.length);
          } catch (IOException e) {
            failure = e;
          } catch (RuntimeException e) {
            failure = new IOException(thread.getName() + " failed: " + e, e);
          }
        }
        chunks.giveBack(c);
      }
    } catch (InterruptedIOException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void rethrow() throws IOException {
    IOException e = failure;
    if (e != null) {
      throw e; // the consumer's own, so that a full disk stays a full disk
    }
  }
}
