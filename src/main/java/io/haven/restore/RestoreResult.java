package io.haven.restore;

import io.haven.archive.Part;
import java.util.List;

/** What a finished restore put back. */
public record RestoreResult(List<Part> parts, long entries, long bytes) {
  public RestoreResult {
    parts = List.copyOf(parts);
  }
}
