package io.haven.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Passes bytes to a consumer that runs on a thread of its own, so that one stage of a pipeline
 * (hashing, encryption) overlaps with the stages before it instead of adding to them. Bytes are
 * copied into one of {@link #BUFFERS} fixed chunks and handed over; a producer that gets ahead
 * waits, so memory stays at {@code BUFFERS * BUFFER_SIZE}. With one CPU the consumer runs inline.
 *
 * <p>A consumer's failure ends nothing at once: the thread keeps taking chunks (without passing
 * them on) so the producer never waits forever, and the producer's next {@link #write} or
 * {@link #finish} throws it. Not thread-safe: one producer. Call {@link #finish} once at the end,
 * or {@link #close} to abandon the handoff; either ends the thread.
 */
final class Handoff implements Closeable {
  static final int BUFFER_SIZE = 256 * 1024;
  static final int BUFFERS = 4;
  private static final Chunk END = new Chunk(new byte[0]);

  /** Takes bytes on the handoff's thread, in order. */
  interface Consumer {
    void accept(byte[] b, int off, int len) throws IOException;
  }

  private final Consumer consumer;
  private final BlockingQueue<Chunk> full;
  private final BlockingQueue<Chunk> free;
  private final Thread thread;
  private volatile IOException failure;
  private Chunk current;
  private boolean ended;

  private static final class Chunk {
    final byte[] bytes;
    int length;

    Chunk(byte[] bytes) {
      this.bytes = bytes;
    }
  }

  /** A handoff to a thread named {@code name}, or inline where there is a single CPU. */
  Handoff(String name, Consumer consumer) {
    this(name, consumer, Runtime.getRuntime().availableProcessors() > 1);
  }

  Handoff(String name, Consumer consumer, boolean background) {
    this.consumer = consumer;
    if (!background) {
      full = null;
      free = null;
      thread = null;
      return;
    }
    full = new ArrayBlockingQueue<>(BUFFERS + 1);
    free = new ArrayBlockingQueue<>(BUFFERS);
    for (int i = 0; i < BUFFERS; i++) {
      free.add(new Chunk(new byte[BUFFER_SIZE]));
    }
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

  /** Waits until the consumer has taken every byte written; throws its failure, if any. */
  void finish() throws IOException {
    if (thread != null) {
      if (current != null) {
        put(current);
        current = null;
      }
      end();
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
      full.clear();
      full.offer(END); // room is certain: the queue was just emptied, and nothing else adds
      ended = true;
    }
  }

  private void consumeUntilEnd() {
    try {
      for (Chunk c = full.take(); c != END; c = full.take()) {
        if (failure == null) {
          try {
            consumer.accept(c.bytes, 0, c.length);
          } catch (IOException e) {
            failure = e;
          } catch (RuntimeException e) {
            failure = new IOException(thread.getName() + " failed: " + e, e);
          }
        }
        free.put(c);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void rethrow() throws IOException {
    IOException e = failure;
    if (e != null) {
      throw e; // the consumer's own, so that a full disk stays a full disk
    }
  }

  private void end() throws InterruptedIOException {
    if (!ended) {
      put(END);
      ended = true;
    }
  }

  private void put(Chunk c) throws InterruptedIOException {
    try {
      full.put(c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while handing bytes to " + thread.getName());
    }
  }

  private Chunk take(BlockingQueue<Chunk> q) throws InterruptedIOException {
    try {
      return q.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while handing bytes to " + thread.getName());
    }
  }
}
