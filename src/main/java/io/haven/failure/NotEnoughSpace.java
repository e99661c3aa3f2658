package io.haven.failure;

import java.io.IOException;
import java.util.Optional;

/** A job needs more free space than there is; says how much, where, and what to do. */
public final class NotEnoughSpace extends IOException implements ExpectedFailure {
  public NotEnoughSpace(String what, String where, long needed, long free, String advice) {
    super("Not enough space on " + where + ": " + what + " needs " + Sizes.human(needed) + ", "
        + Sizes.human(free) + " free. " + advice);
  }

  /** The disk filled up while writing. */
  public NotEnoughSpace(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code e} as a full disk, with {@code message}, when it is one (ENOSPC or EDQUOT). */
  public static Optional<NotEnoughSpace> whileWriting(IOException e, String message) {
    String m = String.valueOf(e.getMessage());
    return m.contains("No space left on device") || m.contains("Disk quota exceeded")
        ? Optional.of(new NotEnoughSpace(message, e)) : Optional.empty();
  }

  @Override
  public int exitCode() {
    return ExitCode.NO_SPACE;
  }

  @Override
  public int httpStatus() {
    return 507;
  }
}
