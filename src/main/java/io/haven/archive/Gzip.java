package io.haven.archive;

import java.io.InputStream;

/** gzip for parts: the one reader every gzip part goes through. */
final class Gzip {
  private Gzip() {}

  /**
   * A gzip reader that also opens parts written by old SecureTar v1 writers (padding inside the
   * gzip trailer); see {@link TolerantGzipInputStream}. Closing it closes {@code in}.
   *
   * @param what names the archive and part for messages
   */
  static InputStream tolerantInput(InputStream in, String what) {
    return new TolerantGzipInputStream(in, what);
  }
}
