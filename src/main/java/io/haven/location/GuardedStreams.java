package io.haven.location;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Streams handed to callbacks: a failure of the Location's own stream becomes a
 * {@link LocationException}, so it can be told apart from the callback's own failures. Some
 * protocol libraries report a dropped connection unchecked (smbj's SMBRuntimeException, the AWS
 * SDK's SdkException): those count when the Location names the type. Any other unchecked
 * exception is a bug and passes unchanged, so it is neither worded as a network problem nor
 * retried.
 */
final class GuardedStreams {
  /** Turns a library's I/O failure into the Location's failure, naming the operation. */
  @FunctionalInterface
  interface Translator {
    LocationException translate(Exception e);
  }

  private GuardedStreams() {}

  /** As below, for a library that fails only with IOException. */
  static OutputStream output(OutputStream out, Translator translator) {
    return output(out, NoUnchecked.class, translator);
  }

  /** As below, for a library that fails only with IOException. */
  static InputStream input(InputStream in, Translator translator) {
    return input(in, NoUnchecked.class, translator);
  }

  /** {@code out}, its IOExceptions and the library's own {@code unchecked} ones translated. */
  static OutputStream output(OutputStream out, Class<? extends RuntimeException> unchecked,
      Translator translator) {
    return new FilterOutputStream(out) {
      @Override
      public void write(int b) throws IOException {
        try {
          out.write(b);
        } catch (IOException e) {
          throw translated(e, translator);
        } catch (RuntimeException e) {
          throw library(e, unchecked, translator);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        try {
          out.write(b, off, len);
        } catch (IOException e) {
          throw translated(e, translator);
        } catch (RuntimeException e) {
          throw library(e, unchecked, translator);
        }
      }

      @Override
      public void flush() throws IOException {
        try {
          out.flush();
        } catch (IOException e) {
          throw translated(e, translator);
        } catch (RuntimeException e) {
          throw library(e, unchecked, translator);
        }
      }

      @Override
      public void close() {
        // The Location closes the real stream itself once the writer has returned.
      }
    };
  }

  /** {@code in}, its IOExceptions and the library's own {@code unchecked} ones translated. */
  static InputStream input(InputStream in, Class<? extends RuntimeException> unchecked,
      Translator translator) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        try {
          return in.read();
        } catch (IOException e) {
          throw translated(e, translator);
        } catch (RuntimeException e) {
          throw library(e, unchecked, translator);
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return in.read(b, off, len);
        } catch (IOException e) {
          throw translated(e, translator);
        } catch (RuntimeException e) {
          throw library(e, unchecked, translator);
        }
      }

      @Override
      public long skip(long n) throws IOException {
        try {
          return in.skip(n);
        } catch (IOException e) {
          throw translated(e, translator);
        } catch (RuntimeException e) {
          throw library(e, unchecked, translator);
        }
      }

      @Override
      public void close() {
        // The Location closes the real stream itself once the reader has returned.
      }
    };
  }

  // No library's type: every unchecked exception passes.
  private static final class NoUnchecked extends RuntimeException {
    private NoUnchecked() {}
  }

  // The library's own unchecked failure, translated; any other passes as it is.
  private static RuntimeException library(RuntimeException e,
      Class<? extends RuntimeException> unchecked, Translator translator) throws IOException {
    if (unchecked.isInstance(e)) {
      throw translator.translate(e);
    }
    return e;
  }

  private static LocationException translated(Exception e, Translator translator) {
    return e instanceof LocationException le ? le : translator.translate(e);
  }
}
