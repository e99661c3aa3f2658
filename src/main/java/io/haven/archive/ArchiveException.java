package io.haven.archive;

import io.haven.failure.ExitCode;
import io.haven.failure.ExpectedFailure;
import java.io.IOException;

/**
 * Why an archive could not be read or written. Messages name the archive and the part and say
 * what to do next; they extend {@link IOException} so they pass through stream code unchanged.
 */
public abstract sealed class ArchiveException extends IOException implements ExpectedFailure
    permits ArchiveException.Corrupt,
        ArchiveException.WrongPassword,
        ArchiveException.PasswordRequired,
        ArchiveException.Unsupported,
        ArchiveException.Unsafe {

  ArchiveException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The bytes are damaged, truncated or not what they claim to be. */
  public static final class Corrupt extends ArchiveException {
    public Corrupt(String message) {
      super(message, null);
    }

    public Corrupt(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public int exitCode() {
      return ExitCode.CORRUPT;
    }
  }

  /** The password (or key) does not open the archive. */
  public static final class WrongPassword extends ArchiveException {
    public WrongPassword(String message) {
      super(message, null);
    }

    @Override
    public int exitCode() {
      return ExitCode.PASSWORD;
    }
  }

  /** The archive is protected and no password was given. */
  public static final class PasswordRequired extends ArchiveException {
    public PasswordRequired(String message) {
      super(message, null);
    }

    @Override
    public int exitCode() {
      return ExitCode.PASSWORD;
    }
  }

  /** A format or version Haven does not read or write. */
  public static final class Unsupported extends ArchiveException {
    public Unsupported(String message) {
      super(message, null);
    }

    @Override
    public int exitCode() {
      return ExitCode.UNSUPPORTED;
    }
  }

  /** An entry that would land outside its part: {@code ..}, absolute, an outside link, a device. */
  public static final class Unsafe extends ArchiveException {
    public Unsafe(String message) {
      super(message, null);
    }

    @Override
    public int exitCode() {
      return ExitCode.UNSAFE;
    }
  }
}
