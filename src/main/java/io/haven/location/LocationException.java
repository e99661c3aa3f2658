package io.haven.location;

import io.haven.failure.ExitCode;
import io.haven.failure.ExpectedFailure;
import java.io.IOException;

/**
 * Why a Location could not do what was asked. Messages name the location by its
 * {@link Location#describe()} (never a secret) and say what to do next. Only {@link Unreachable}
 * is worth trying again; the others need a person to change something first.
 */
public abstract sealed class LocationException extends IOException implements ExpectedFailure
    permits LocationException.Unreachable,
        LocationException.NotFound,
        LocationException.Refused,
        LocationException.AuthenticationFailed,
        LocationException.Misconfigured {

  LocationException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether trying the same operation again may succeed without anyone changing anything. */
  public boolean transientFailure() {
    return false;
  }

  /** The server could not be reached, or the connection broke during the operation. */
  public static final class Unreachable extends LocationException {
    public Unreachable(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public boolean transientFailure() {
      return true;
    }

    @Override
    public int exitCode() {
      return ExitCode.LOCATION;
    }

    @Override
    public int httpStatus() {
      return 502;
    }
  }

  /** No object of that name (or the location's directory or bucket does not exist). */
  public static final class NotFound extends LocationException {
    public NotFound(String message, Throwable cause) {
      super(message, cause);
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

  /** The server answered but refused: permissions, quota, a full disk, an untrusted host key. */
  public static final class Refused extends LocationException {
    public Refused(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public int exitCode() {
      return ExitCode.LOCATION;
    }
  }

  /** The user, password or key was not accepted. */
  public static final class AuthenticationFailed extends LocationException {
    public AuthenticationFailed(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public int exitCode() {
      return ExitCode.LOCATION;
    }

    @Override
    public int httpStatus() {
      return 401;
    }
  }

  /** The location's URL or options are incomplete or contradictory. */
  public static final class Misconfigured extends LocationException {
    public Misconfigured(String message) {
      super(message, null);
    }

    @Override
    public int exitCode() {
      return ExitCode.CONFIG;
    }
  }
}
