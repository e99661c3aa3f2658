package io.haven.location;

import java.time.Instant;
import java.util.Objects;

/**
 * One complete object in a Location: its name, its size in bytes and when it was last written.
 * The name always passes {@link Names#check(String)}.
 */
public record ArchiveInfo(String name, long size, Instant modified) {
  public ArchiveInfo {
    Names.check(name);
    if (size < 0) {
      throw new IllegalArgumentException("size < 0: " + size);
    }
    Objects.requireNonNull(modified, "modified");
  }
}
