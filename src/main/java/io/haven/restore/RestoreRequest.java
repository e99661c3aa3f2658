package io.haven.restore;

import io.haven.archive.Part;
import io.haven.archive.Secret;
import java.util.List;
import java.util.Optional;

/**
 * What to restore: every part of the backup when {@code parts} is empty (a full restore), else
 * the named parts. {@code force} goes on past blocking preflight findings.
 */
public record RestoreRequest(List<Part> parts, Optional<Secret> secret, boolean force) {
  public RestoreRequest {
    parts = List.copyOf(parts);
  }

  /** A request that stops at blocking preflight findings. */
  public RestoreRequest(List<Part> parts, Optional<Secret> secret) {
    this(parts, secret, false);
  }

  public boolean isFull() {
    return parts.isEmpty();
  }
}
