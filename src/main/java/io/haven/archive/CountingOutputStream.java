package io.haven.archive;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Counts the bytes on their way to the stream below and keeps it open when a stage above
 * closes: closing flushes, and whoever opened the stream below closes it.
 */
public class CountingOutputStream extends FilterOutputStream {
  private long count;

  public CountingOutputStream(OutputStream out) {
    super(out);
  }

  /** The bytes written so far. */
  public long count() {
    return count;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    count += len;
  }

  @Override
  public void close() throws IOException {
    out.flush();
  }

  @Override
  public String toString() {
    return "CountingOutputStream(" + out + ")";
  }
}
