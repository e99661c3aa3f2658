package io.haven.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Newline-delimited text with a length limit, so a peer cannot make us hold an endless line. */
final class Lines {
  private Lines() {}

  /** The next line without its newline; empty at the end of the stream. */
  static Optional<String> read(InputStream in, int max) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        return Optional.of(line.toString(StandardCharsets.UTF_8));
      }
      if (line.size() >= max) {
        throw new IOException("a line over " + max + " bytes; closing the connection");
      }
      line.write(b);
    }
    return line.size() > 0 ? Optional.of(line.toString(StandardCharsets.UTF_8))
        : Optional.empty();
  }
}
