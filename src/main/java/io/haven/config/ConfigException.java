package io.haven.config;

import io.haven.failure.ExitCode;
import io.haven.failure.ExpectedFailure;
import java.io.IOException;

/** The configuration file or environment is invalid; the message names the key and the fix. */
public final class ConfigException extends IOException implements ExpectedFailure {
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public int exitCode() {
    return ExitCode.CONFIG;
  }
}
