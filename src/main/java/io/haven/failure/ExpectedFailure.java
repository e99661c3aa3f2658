package io.haven.failure;

/**
 * A failure that is expected in normal use (wrong password, corrupt archive, no space): the
 * command line prints only its message and exits with {@link #exitCode()}; the API answers with
 * {@link #httpStatus()}. Anything else is a bug and is reported with its stack trace.
 */
public interface ExpectedFailure {
  /** The process exit code; one of {@link ExitCode}. */
  int exitCode();

  /** The HTTP status the API answers with. */
  default int httpStatus() {
    return 400;
  }

  String getMessage();
}
