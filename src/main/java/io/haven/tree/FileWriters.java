package io.haven.tree;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes an extraction's small files on threads of their own, so that the kernel's part of a
 * restore (creating each file and copying its bytes into the page cache, most of a restore's
 * time) runs on more than one core while the extracting thread reads the next entries and writes
 * the large files itself. A small file goes whole to one writer, the one with the least queued,
 * or the one already writing a file of that name (a name a tar holds twice is written in order).
 * Its bytes pass in a buffer from a bounded pool, so memory never grows with the backup. A {@link #afterQueued step} runs once every writer has
 * finished what was queued before it. The first failure of a writer is thrown, unchanged, to the
 * extracting thread at its next call. With one CPU, files are written on the calling thread.
 */
final class FileWriters implements AutoCloseable {
  static final int BUFFER = 128 * 1024;
  private static final int BUFFERS = 32;
  private static final int QUEUED = 256;
  private static final int THREADS = 2;

  /** One file to write: how to open it, and what to set once its bytes are written. */
  interface Sink {
    FileChannel open() throws IOException;

    /** Mode, time and owner, after the last byte. */
    void finish() throws IOException;
  }

  /** Work on the file system that must follow the files queued before it. */
  interface Step {
    void run() throws IOException;
  }

  private sealed interface Task permits Bytes, Marker, Stop {}

  /** Part of a file: the first opens it, the last finishes it. */
  private record Bytes(Path target, Sink sink, byte[] buffer, int length, boolean first,
      boolean last) implements Task {}

  /** Reached by every writer; the last one to reach it runs {@code step}. */
  private record Marker(Step step, AtomicInteger left, CountDownLatch done) implements Task {}

  private enum Stop implements Task { STOP }

  /** Which writer has files of a name still queued, and how many. */
  private record Pending(Writer writer, int files) {}

  private final List<Writer> writers = new ArrayList<>();
  private final BlockingQueue<byte[]> pool;
  private final ConcurrentHashMap<Path, Pending> pending = new ConcurrentHashMap<>();
  /** For the files written on the calling thread. */
  private final byte[] inlineBuffer = new byte[BUFFER];
  private volatile Throwable failure;
  private volatile boolean discarding;

  private FileWriters(int threads) {
    if (threads == 0) {
      pool = null;
      return;
    }
    pool = new ArrayBlockingQueue<>(BUFFERS);
    for (int i = 0; i < BUFFERS; i++) {
      pool.add(new byte[BUFFER]);
    }
    for (int i = 0; i < threads; i++) {
      Writer w = new Writer("haven-restore-writer-" + (i + 1));
      writers.add(w);
      w.thread.start();
    }
  }

  /** Writers on threads of their own when the machine has more than one CPU. */
  static FileWriters start() {
    return new FileWriters(Runtime.getRuntime().availableProcessors() > 1 ? THREADS : 0);
  }

  /**
   * Writes the {@code size} bytes of {@code in} to {@code target} through {@code sink}, calling
   * {@code progress} as they are read. A small file is queued and this returns before it is
   * written; one larger than a buffer is written here, beside the writers' small ones: handing it
   * over would only add a copy, since the next entries wait behind it anyway.
   */
  void write(Path target, long size, Sink sink, InputStream in, Progress progress)
      throws IOException {
    check();
    if (writers.isEmpty() || size > BUFFER && !pending(target)) {
      writeHere(sink, in, progress);
      return;
    }
    Writer w = pending.compute(target, (k, v) -> v == null ? new Pending(leastQueued(), 1)
        : new Pending(v.writer(), v.files() + 1)).writer();
    boolean first = true;
    boolean last = false;
    while (!last) {
      byte[] b = takeBuffer();
      int n;
      try {
        n = fill(in, b);
      } catch (IOException | RuntimeException e) {
        pool.offer(b);
        throw e;
      }
      last = n < b.length;
      put(w, new Bytes(target, sink, b, n, first, last));
      progress.advance(n);
      first = false;
    }
  }

  /** Whether a file named {@code p} is queued and not yet written. */
  boolean pending(Path p) {
    return pending.containsKey(p);
  }

  /** Runs {@code step} once every file queued so far is written. */
  void afterQueued(Step step) throws IOException {
    if (writers.isEmpty()) {
      step.run();
      return;
    }
    check();
    Marker m = new Marker(step, new AtomicInteger(writers.size()), new CountDownLatch(1));
    for (Writer w : writers) {
      put(w, m);
    }
  }

  /** Waits until everything queued is written; throws a writer's failure. */
  void drain() throws IOException {
    if (writers.isEmpty()) {
      return;
    }
    Marker m = new Marker(null, new AtomicInteger(writers.size()), new CountDownLatch(1));
    for (Writer w : writers) {
      put(w, m);
    }
    try {
      m.done().await();
    } catch (InterruptedException e) {
      throw interrupted();
    }
    check();
  }

  /** Stops the writers; what is still queued is dropped (call {@link #drain} first to keep it). */
  @Override
  public void close() {
    discarding = true;
    boolean interrupted = false;
    for (Writer w : writers) {
      while (true) {
        try {
          w.queue.put(Stop.STOP);
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    for (Writer w : writers) {
      while (w.thread.isAlive()) {
        try {
          w.thread.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void writeHere(Sink sink, InputStream in, Progress progress) throws IOException {
    try (FileChannel out = sink.open()) {
      for (int n; (n = in.read(inlineBuffer)) >= 0; ) {
        writeAll(out, inlineBuffer, n);
        progress.advance(n);
      }
    }
    sink.finish();
  }

  private static int fill(InputStream in, byte[] b) throws IOException {
    int n = 0;
    while (n < b.length) {
      int r = in.read(b, n, b.length - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return n;
  }

  private static void writeAll(FileChannel out, byte[] b, int length) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(b, 0, length);
    while (bb.hasRemaining()) {
      out.write(bb);
    }
  }

  private Writer leastQueued() {
    Writer least = writers.get(0);
    for (Writer w : writers) {
      if (w.queue.size() < least.queue.size()) {
        least = w;
      }
    }
    return least;
  }

  private byte[] takeBuffer() throws IOException {
    check();
    try {
      return pool.take();
    } catch (InterruptedException e) {
      throw interrupted();
    }
  }

  private void put(Writer w, Task t) throws IOException {
    try {
      w.queue.put(t);
    } catch (InterruptedException e) {
      throw interrupted();
    }
  }

  private static InterruptedIOException interrupted() {
    Thread.currentThread().interrupt();
    return new InterruptedIOException("interrupted while files were written");
  }

  private void check() throws IOException {
    Throwable f = failure;
    if (f instanceof IOException e) {
      throw e;
    }
    if (f instanceof RuntimeException e) {
      throw e;
    }
    if (f instanceof Error e) {
      throw e;
    }
  }

  private void fail(Throwable t) {
    if (failure == null) {
      failure = t;
    }
  }

  private final class Writer implements Runnable {
    final BlockingQueue<Task> queue = new ArrayBlockingQueue<>(QUEUED);
    final Thread thread;
    private FileChannel open;

    Writer(String name) {
      thread = new Thread(this, name);
      thread.setDaemon(true);
    }

    @Override
    public void run() {
      try {
        for (Task t = queue.take(); t != Stop.STOP; t = queue.take()) {
          if (t instanceof Bytes b) {
            write(b);
          } else {
            reach((Marker) t);
          }
        }
      } catch (InterruptedException e) {
        fail(new InterruptedIOException(thread.getName() + " was interrupted"));
      } finally {
        closeOpen();
      }
    }

    // After a failure (or once the extraction gave up), the rest is only read past: buffers go
    // back to the pool and markers are counted, so that the extracting thread never waits for
    // ever.
    private void write(Bytes b) {
      try {
        if (failure != null || discarding) {
          closeOpen();
          return;
        }
        if (b.first()) {
          open = b.sink().open();
        }
        writeAll(open, b.buffer(), b.length());
        if (b.last()) {
          FileChannel c = open;
          open = null;
          c.close();
          b.sink().finish();
        }
      } catch (IOException | RuntimeException | Error e) {
        fail(e);
        closeOpen();
      } finally {
        pool.offer(b.buffer());
        if (b.last()) {
          pending.computeIfPresent(b.target(),
              (k, v) -> v.files() == 1 ? null : new Pending(v.writer(), v.files() - 1));
        }
      }
    }

    private void reach(Marker m) {
      if (m.left().decrementAndGet() > 0) {
        return;
      }
      try {
        if (m.step() != null && failure == null && !discarding) {
          m.step().run();
        }
      } catch (IOException | RuntimeException | Error e) {
        fail(e);
      } finally {
        m.done().countDown();
      }
    }

    private void closeOpen() {
      if (open != null) {
        try {
          open.close();
        } catch (IOException e) {
          fail(e);
        }
        open = null;
      }
    }
  }
}
