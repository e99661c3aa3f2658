package io.haven.archive;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes to {@code out} on a thread of its own (a {@link Handoff}), so that whatever {@code out}
 * does with the bytes, such as encrypting them, runs beside the writer instead of after it.
 * {@link #flush} passes nothing on early; {@link #close} waits for every byte to reach {@code out},
 * then closes it, and throws what {@code out} threw.
 */
final class HandoffOutputStream extends FilterOutputStream {
  private final Handoff handoff;
  private boolean closed;

  HandoffOutputStream(OutputStream out, String threadName) {
    super(out);
    this.handoff = new Handoff(threadName, out::write);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    handoff.write(b, off, len);
  }

  @Override
  public void flush() {
    // Bytes are passed on in whole chunks; close() passes the rest.
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      handoff.finish();
    } catch (IOException e) {
      handoff.close();
      try {
        out.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    out.close();
  }

  @Override
  public String toString() {
    return "Handoff(" + out + ")";
  }
}
