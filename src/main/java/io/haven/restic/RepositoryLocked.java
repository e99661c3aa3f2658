package io.haven.restic;

import io.haven.failure.ExitCode;
import io.haven.failure.ExpectedFailure;
import java.io.IOException;

/** Another program (restic, or another Haven) holds a lock that conflicts with this one. */
public final class RepositoryLocked extends IOException implements ExpectedFailure {
  RepositoryLocked(String message) {
    super(message);
  }

  @Override
  public int exitCode() {
    return ExitCode.BUSY;
  }

  @Override
  public int httpStatus() {
    return 409;
  }
}
