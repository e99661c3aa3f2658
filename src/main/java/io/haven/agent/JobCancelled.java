package io.haven.agent;

import io.haven.failure.ExitCode;
import io.haven.failure.ExpectedFailure;
import java.io.IOException;

/**
 * A job stopped because it was asked to (Haven is stopping, or the job was cancelled). What it
 * had written is gone: a backup's temporary file is deleted and a restore is rolled back.
 */
public final class JobCancelled extends IOException implements ExpectedFailure {
  public JobCancelled(String message) {
    super(message);
  }

  @Override
  public int exitCode() {
    return ExitCode.CANCELLED;
  }

  @Override
  public int httpStatus() {
    return 409;
  }
}
