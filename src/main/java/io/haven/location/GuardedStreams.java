package io.haven.location;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Streams handed to callbacks: a failure of the Location's own stream becomes a
 * {@link LocationException}, so it can be told apart from the callback's own failures. Unchecked
 * exceptions count too: some protocol libraries report a dropped connection with them.
 */
final class GuardedStreams {
  /** Turns a library's I/O failure into the Location's failure, naming the operation. */
  @FunctionalInterface
  interface Translator {
    LocationException translate(Exception e);
  }

  private GuardedStreams() {}

  static OutputStream output(OutputStream out, Translator translator) {
    return new FilterOutputStream(out) {
      @Override
      public void write(int b) throws IOException {
        try {
          out.write(b);
        } catch (IOException | RuntimeException e) {
          throw translated(e, translator);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        try {
          out.write(b, off, len);
        } catch (IOException | RuntimeException e) {
          throw translated(e, translator);
        }
      }

      @Override
      public void flush() throws IOException {
        try {
          out.flush();
        } catch (IOException | RuntimeException e) {
          throw translated(e, translator);
        }
      }

      @Override
      public void close() {
        // The Location closes the real stream itself once the writer has returned.
      }
    };
  }

  static InputStream input(InputStream in, Translator translator) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        try {
          return in.read();
        } catch (IOException | RuntimeException e) {
          throw translated(e, translator);
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return in.read(b, off, len);
        } catch (IOException | RuntimeException e) {
          throw translated(e, translator);
        }
      }

      @Override
      public long skip(long n) throws IOException {
        try {
          return in.skip(n);
        } catch (IOException | RuntimeException e) {
          throw translated(e, translator);
        }
      }

      @Override
      public void close() {
        // The Location closes the real stream itself once the reader has returned.
      }
    };
  }

  private static LocationException translated(Exception e, Translator translator) {
    return e instanceof LocationException le ? le : translator.translate(e);
  }
}
