package io.haven.archive;

import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The fixed buffers two threads pass between them: {@link #BUFFERS} chunks of {@link #SIZE} bytes
 * go from free to full and back, so memory never grows and the side that gets ahead waits.
 * {@link #END} among the full chunks says that none follow.
 */
final class Chunks {
  static final int SIZE = 256 * 1024;
  static final int BUFFERS = 4;
  static final Chunk END = new Chunk(new byte[0]);

  /** A buffer and how much of it holds bytes. */
  static final class Chunk {
    final byte[] bytes;
    int length;

    Chunk(byte[] bytes) {
      this.bytes = bytes;
    }
  }

  private final String thread;
  // Room for every chunk and END, so that giving back and ending never wait.
  private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(BUFFERS + 1);
  private final BlockingQueue<Chunk> free = new ArrayBlockingQueue<>(BUFFERS + 1);

  /** Buffers for the thread named {@code thread} and its partner. */
  Chunks(String thread) {
    this.thread = thread;
    for (int i = 0; i < BUFFERS; i++) {
      free.add(new Chunk(new byte[SIZE]));
    }
  }

  /** An empty chunk to fill; waits while every chunk is full or being read. */
  Chunk takeFree() throws InterruptedIOException {
    return take(free);
  }

  /** The next full chunk, or {@link #END}; waits while none is full. */
  Chunk takeFull() throws InterruptedIOException {
    return take(full);
  }

  void putFull(Chunk c) throws InterruptedIOException {
    try {
      full.put(c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while passing bytes with " + thread);
    }
  }

  /** Returns a chunk whose bytes were used. */
  void giveBack(Chunk c) {
    free.offer(c);
  }

  /** Says that no more full chunks follow; those still queued are dropped when {@code now}. */
  void end(boolean now) {
    if (now) {
      full.clear();
    }
    full.offer(END);
  }

  /** Wakes a thread waiting in {@link #takeFree} with an empty, zero-length chunk. */
  void wakeFreeWaiter() {
    free.offer(new Chunk(new byte[0]));
  }

  private Chunk take(BlockingQueue<Chunk> q) throws InterruptedIOException {
    try {
      return q.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while passing bytes with " + thread);
    }
  }
}
