package io.haven.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * Reads {@code in} ahead on a thread of its own, so that what {@code in} does to produce its bytes
 * (decrypting, decompressing) runs beside the reader instead of before it. The thread fills one
 * of the fixed {@link Chunks} at a time and waits when the reader is behind, so memory stays
 * bounded. A failure of {@code in} reaches the reader, unchanged, after the bytes read before it.
 * With one CPU it reads inline.
 *
 * <p>{@link #close} stops the thread and waits for its current read to end before it closes
 * {@code in}: a native decompressor must never be freed while another thread is inside it.
 */
final class ReadAheadInputStream extends InputStream {
  private final InputStream in;
  private final byte[] one = new byte[1];
  private final Chunks chunks;
  private final Thread thread;
  private volatile boolean stopped;
  private volatile IOException failure;
  private Chunks.Chunk current;
  private int position;
  private boolean ended;
  private boolean closed;

  ReadAheadInputStream(InputStream in, String threadName) {
    this(in, threadName, Runtime.getRuntime().availableProcessors() > 1);
  }

  ReadAheadInputStream(InputStream in, String threadName, boolean background) {
    this.in = in;
    if (!background) {
      chunks = null;
      thread = null;
      return;
    }
    chunks = new Chunks(threadName);
    thread = new Thread(this::readUntilEnd, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public int read() throws IOException {
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("read after close");
    }
    if (thread == null) {
      return in.read(b, off, len);
    }
    if (len == 0) {
      return 0;
    }
    if (current == null || position == current.length) {
      if (current != null) {
        chunks.giveBack(current);
        current = null;
      }
      if (ended) {
        return -1;
      }
      Chunks.Chunk next = chunks.takeFull();
      if (next == Chunks.END) {
        ended = true;
        if (failure != null) {
          throw failure;
        }
        return -1;
      }
      current = next;
      position = 0;
    }
    int n = Math.min(len, current.length - position);
    System.arraycopy(current.bytes, position, b, off, n);
    position += n;
    return n;
  }

  @Override
  public int available() {
    return current == null ? 0 : current.length - position;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (thread != null) {
      stopped = true;
      chunks.wakeFreeWaiter();
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while stopping " + thread.getName());
      }
    }
    in.close();
  }

  private void readUntilEnd() {
    try {
      while (!stopped) {
        Chunks.Chunk c = chunks.takeFree();
        if (stopped) {
          break;
        }
        boolean more = fill(c);
        if (c.length > 0) {
          chunks.putFull(c);
        }
        if (!more) {
          break;
        }
      }
    } catch (InterruptedIOException e) {
      Thread.currentThread().interrupt();
    } finally {
      chunks.end(false);
    }
  }

  /**
   * Fills {@code c} from {@code in}; false at the end of {@code in}. On a failure the bytes read
   * before it are kept in {@code c} and the failure is recorded for the reader.
   */
  private boolean fill(Chunks.Chunk c) {
    c.length = 0;
    try {
      while (c.length < c.bytes.length) {
        int n = in.read(c.bytes, c.length, c.bytes.length - c.length);
        if (n < 0) {
          return false;
        }
        c.length += n;
      }
      return true;
    } catch (IOException e) {
      failure = e;
    } catch (RuntimeException e) {
      failure = new IOException(thread.getName() + " failed: " + e, e);
    }
    return false;
  }

  @Override
  public String toString() {
    return "ReadAhead(" + in + ")";
  }
}
