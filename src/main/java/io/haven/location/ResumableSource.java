package io.haven.location;

import java.io.IOException;
import java.io.InputStream;

/**
 * Bytes a Location can send from any offset, so an interrupted write continues where it stopped
 * instead of starting over: a local file, for instance.
 */
public interface ResumableSource {
  /** The number of bytes the source holds; it must not change while it is written. */
  long size();

  /**
   * What tells this source from another one of the same name and size, such as its modification
   * time or SHA-256: an earlier interrupted write is continued only if this is the same.
   */
  String fingerprint();

  /** The source's bytes from {@code offset} to the end. */
  InputStream openAt(long offset) throws IOException;
}
