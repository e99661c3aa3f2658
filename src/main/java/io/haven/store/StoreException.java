package io.haven.store;

import io.haven.failure.ExitCode;
import io.haven.failure.ExpectedFailure;
import java.io.IOException;

/** Why the backup directory could not do what was asked. */
public abstract sealed class StoreException extends IOException implements ExpectedFailure
    permits StoreException.NotFound, StoreException.Busy, StoreException.AlreadyExists,
        StoreException.BadName, StoreException.Rejected, StoreException.CopyMismatch {

  StoreException(String message) {
    super(message);
  }

  StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** No backup with that slug or file name. */
  public static final class NotFound extends StoreException {
    public NotFound(String message) {
      super(message);
    }

    @Override
    public int exitCode() {
      return ExitCode.NOT_FOUND;
    }

    @Override
    public int httpStatus() {
      return 404;
    }
  }

  /** Another backup or restore holds the lock. */
  public static final class Busy extends StoreException {
    public Busy(String message) {
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

  /** A backup with that slug or file name is already there. */
  public static final class AlreadyExists extends StoreException {
    public AlreadyExists(String message) {
      super(message);
    }

    @Override
    public int exitCode() {
      return ExitCode.USAGE;
    }
  }

  /** A file name that cannot name a backup ({@link FileNames}). */
  public static final class BadName extends StoreException {
    public BadName(String message) {
      super(message);
    }

    @Override
    public int exitCode() {
      return ExitCode.USAGE;
    }
  }

  /** A file offered for import is not a readable Home Assistant backup; nothing was kept. */
  public static final class Rejected extends StoreException {
    public Rejected(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public int exitCode() {
      return ExitCode.CORRUPT;
    }
  }

  /** A copy read back from a location is not the backup that was sent, or not a backup at all. */
  public static final class CopyMismatch extends StoreException {
    public CopyMismatch(String message) {
      super(message);
    }

    @Override
    public int exitCode() {
      return ExitCode.LOCATION;
    }
  }
}
