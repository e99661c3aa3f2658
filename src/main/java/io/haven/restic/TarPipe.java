package io.haven.restic;

import io.haven.location.IoConsumer;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * A tar written on a thread of its own and read as a stream, so that a reader of archives (the
 * staged restore, an export) reads a snapshot's tree as it reads an archive's part. A failure of
 * the writer (a damaged blob) is the reader's next read's failure, never a short stream that
 * looks complete. Holds one ring buffer of {@link #BUFFER} bytes. (java.io's piped streams poll
 * once a second when the buffer is empty or full, which a tar of small files hits constantly.)
 *
 * <p>A side that waits is woken only once there is {@link #WAKE} bytes of work for it (or the
 * writer ended): waking the reader for every 10 KiB tar block, and the writer for every 512-byte
 * header read, cost a thread switch each, some 70,000 of them for a restore of 7,000 files.
 */
final class TarPipe extends InputStream {
  static final int BUFFER = 1024 * 1024;
  static final int WAKE = 128 * 1024;

  private final byte[] ring = new byte[BUFFER];
  private final Thread writer;
  private long written;
  private long read;
  private boolean ended;
  private boolean readerWaits;
  private boolean writerWaits;
  private boolean closed;
  private IOException failure;

  private TarPipe(String name, IoConsumer<OutputStream> body) {
    writer = new Thread(() -> run(body), name);
    writer.setDaemon(true);
  }

  /** Starts {@code body} writing into the returned stream. */
  static InputStream start(String name, IoConsumer<OutputStream> body) {
    TarPipe pipe = new TarPipe(name, body);
    pipe.writer.start();
    return pipe;
  }

  private void run(IoConsumer<OutputStream> body) {
    IOException failed = null;
    try (OutputStream out = new Sink()) {
      body.accept(out);
    } catch (IOException e) {
      failed = e;
    } catch (RuntimeException e) {
      failed = new IOException(e.getMessage(), e);
    }
    synchronized (this) {
      failure = failed;
      ended = true;
      notifyAll();
    }
  }

  /** The writer's end: blocks while the ring is full, fails once the reader has closed. */
  private final class Sink extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      synchronized (TarPipe.this) {
        while (len > 0) {
          while (written - read == BUFFER && !closed) {
            writerWaits = true;
            await();
          }
          if (closed) {
            throw new IOException("the reader of the snapshot stopped");
          }
          int at = (int) (written % BUFFER);
          int n = Math.min(len, Math.min(BUFFER - at, (int) (BUFFER - (written - read))));
          System.arraycopy(b, off, ring, at, n);
          written += n;
          off += n;
          len -= n;
          if (readerWaits && written - read >= WAKE) {
            readerWaits = false;
            TarPipe.this.notifyAll();
          }
        }
      }
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public synchronized int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (written == read && !ended) {
      readerWaits = true;
      await();
    }
    if (written == read) {
      if (failure != null) {
        throw failure;
      }
      return -1;
    }
    int at = (int) (read % BUFFER);
    int n = Math.min(len, Math.min(BUFFER - at, (int) (written - read)));
    System.arraycopy(ring, at, b, off, n);
    read += n;
    if (writerWaits && BUFFER - (written - read) >= WAKE) {
      writerWaits = false;
      notifyAll();
    }
    return n;
  }

  private void await() throws InterruptedIOException {
    try {
      wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading a snapshot");
    }
  }

  /** Closing early stops the writer at its next write. */
  @Override
  public void close() throws IOException {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while closing a snapshot's stream");
    }
  }
}
