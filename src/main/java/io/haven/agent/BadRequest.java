package io.haven.agent;

import io.haven.failure.ExitCode;
import io.haven.failure.ExpectedFailure;
import java.io.IOException;

/**
 * A request that names something Haven does not have or asks for what cannot be done (an unknown
 * location, a partial backup of nothing): the user's to correct, exit 2, HTTP 400.
 */
public final class BadRequest extends IOException implements ExpectedFailure {
  public BadRequest(String message) {
    super(message);
  }

  @Override
  public int exitCode() {
    return ExitCode.USAGE;
  }

  @Override
  public int httpStatus() {
    return 400;
  }
}
