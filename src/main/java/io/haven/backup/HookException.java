package io.haven.backup;

import io.haven.failure.ExitCode;
import io.haven.failure.ExpectedFailure;
import java.io.IOException;

/**
 * A configured service command (config key {@code services:}) did not succeed. The message names
 * the service, the step and the command, says what Haven did about it and what to check.
 * Exits with {@link ExitCode#HOOK}, so a script tells a failing service from a bad config file.
 */
public abstract sealed class HookException extends IOException implements ExpectedFailure
    permits HookException.Failed, HookException.TimedOut {

  HookException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public int exitCode() {
    return ExitCode.HOOK;
  }

  @Override
  public int httpStatus() {
    return 500;
  }

  /** The command could not be run or exited with another status than 0. */
  public static final class Failed extends HookException {
    public Failed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The command was still running at its timeout and was killed. */
  public static final class TimedOut extends HookException {
    public TimedOut(String message) {
      super(message, null);
    }
  }
}
