package io.haven.key;

import io.haven.failure.ExitCode;
import io.haven.failure.ExpectedFailure;
import java.io.IOException;

/** The key file cannot be read as one: a person has to put it right (from the emergency kit). */
public final class KeyFileDamaged extends IOException implements ExpectedFailure {
  KeyFileDamaged(String message) {
    super(message);
  }

  @Override
  public int exitCode() {
    return ExitCode.CONFIG;
  }

  @Override
  public int httpStatus() {
    return 500;
  }
}
