package io.haven.restic;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A few threads that do a caller's storage work beside it, with a bounded number of pieces
 * waiting. The first failure of any piece (an Error too) is thrown at the caller's next call,
 * and the pieces still waiting are skipped: nothing goes on as if a failed piece had been done.
 */
final class Workers implements Closeable {
  /** One piece of work. */
  interface Work {
    void run() throws IOException;
  }

  private final ExecutorService pool;
  private final Semaphore room;
  private volatile Throwable failure;

  /** {@code threads} named {@code name}; {@code waiting} pieces at most wait for one. */
  Workers(String name, int threads, int waiting) {
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    this.room = new Semaphore(threads + waiting);
  }

  /**
   * Hands {@code work} to a thread, waiting while the queue is full; {@code after} runs once it
   * is done or skipped (to give back what it holds).
   */
  void submit(Work work, Runnable after) throws IOException {
    rethrow();
    room.acquireUninterruptibly();
    pool.execute(() -> {
      try {
        if (failure == null) {
          work.run();
        }
      } catch (Throwable e) {
        if (failure == null) {
          failure = e;
        }
      } finally {
        room.release();
        after.run();
      }
    });
  }

  void submit(Work work) throws IOException {
    submit(work, () -> {});
  }

  /** Waits until every piece submitted is done, and throws the first failure. */
  void finish() throws IOException {
    pool.shutdown();
    awaitTermination();
    rethrow();
  }

  /** Throws the first failure of a piece, as it was thrown. */
  void rethrow() throws IOException {
    Throwable e = failure;
    if (e instanceof IOException io) {
      throw io;
    } else if (e instanceof RuntimeException r) {
      throw r;
    } else if (e instanceof Error err) {
      throw err;
    } else if (e != null) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Skips the pieces still waiting, and waits for those being done. */
  @Override
  public void close() {
    if (failure == null) {
      failure = new CancellationException("the work was stopped");
    }
    pool.shutdown();
    try {
      awaitTermination();
    } catch (InterruptedIOException e) {
      // interrupted: the threads end on their own, and are daemons
    }
  }

  private void awaitTermination() throws InterruptedIOException {
    try {
      while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
        // a piece working over a slow line: the storage's own timeouts end it
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("stopped while waiting for the storage");
    }
  }
}
