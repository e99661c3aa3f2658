package io.haven.archive;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Placeholder until the tolerant gzip reader lands. */
final class Gzip {
  private Gzip() {}

  static InputStream tolerantInput(InputStream in, String what) throws IOException {
    return new GZIPInputStream(in, 64 * 1024);
  }
}
