package io.haven.device;

import io.haven.failure.ExitCode;
import io.haven.failure.ExpectedFailure;
import java.io.IOException;

/**
 * Why a fact about the device could not be read. Most readers here degrade to "unknown" instead
 * of failing; this is for the facts a backup or restore cannot go on without.
 */
public abstract sealed class DeviceException extends IOException implements ExpectedFailure
    permits DeviceException.Unreadable {

  DeviceException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A path Haven was configured with does not exist or its file system cannot be asked. */
  public static final class Unreadable extends DeviceException {
    public Unreadable(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public int exitCode() {
      return ExitCode.CONFIG;
    }
  }
}
