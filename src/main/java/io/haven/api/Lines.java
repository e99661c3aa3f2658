package io.haven.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Newline-delimited text with a length limit, so a peer cannot make us hold an endless line. */
final class Lines {
  private Lines() {}

  /**
   * The next line without its newline; empty at the end of the stream. A line over {@code max}
   * bytes is read to its end without being kept and fails {@link TooLong}, so the next line
   * reads as usual.
   */
  static Optional<String> read(InputStream in, int max) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        return Optional.of(line.toString(StandardCharsets.UTF_8));
      }
      if (line.size() >= max) {
        skipLine(in);
        throw new TooLong(max);
      }
      line.write(b);
    }
    return line.size() > 0 ? Optional.of(line.toString(StandardCharsets.UTF_8))
        : Optional.empty();
  }

  private static void skipLine(InputStream in) throws IOException {
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      // dropped: only the line's length was wrong
    }
  }

  /** A line longer than the limit; it was read past, not kept. */
  static final class TooLong extends IOException {
    private final int max;

    TooLong(int max) {
      super("a line over " + max + " bytes");
      this.max = max;
    }

    int max() {
      return max;
    }
  }
}
