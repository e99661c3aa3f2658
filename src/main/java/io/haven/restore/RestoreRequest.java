package io.haven.restore;

import io.haven.archive.Part;
import io.haven.archive.Secret;
import java.util.List;
import java.util.Optional;

/**
 * What to restore: every part of the backup when {@code parts} is empty (a full restore), else
 * the named parts.
 */
public record RestoreRequest(List<Part> parts, Optional<Secret> secret) {
  public RestoreRequest {
    parts = List.copyOf(parts);
  }

  public boolean isFull() {
    return parts.isEmpty();
  }
}
