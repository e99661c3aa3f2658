package io.haven.restore;

import io.haven.failure.ExitCode;
import io.haven.failure.ExpectedFailure;
import java.io.IOException;

/** Why a restore did not start after its preflight. */
public abstract sealed class PreflightException extends IOException implements ExpectedFailure
    permits PreflightException.Blocked {

  PreflightException(String message) {
    super(message);
  }

  @Override
  public int exitCode() {
    return ExitCode.PREFLIGHT;
  }

  @Override
  public int httpStatus() {
    return 409;
  }

  /** The preflight found blocking problems; nothing was changed. */
  public static final class Blocked extends PreflightException {
    private final transient PreflightReport report;

    public Blocked(PreflightReport report) {
      super(message(report));
      this.report = report;
    }

    public PreflightReport report() {
      return report;
    }

    // Too little space is the one blocking problem scripts already know by its own code.
    @Override
    public int exitCode() {
      boolean onlySpace = report.blocking().stream().allMatch(f -> f.check().equals("space"));
      return onlySpace ? ExitCode.NO_SPACE : ExitCode.PREFLIGHT;
    }

    private static String message(PreflightReport r) {
      StringBuilder b = new StringBuilder("The preflight for backup '" + r.slug() + "' found "
          + r.blocking().size() + " blocking problem(s); nothing was changed:");
      for (Finding f : r.blocking()) {
        b.append("\n  - ").append(f.message());
        if (!f.action().isEmpty()) {
          b.append(" ").append(f.action());
        }
      }
      return b.append("\nFix them and restore again, or restore anyway with --force.").toString();
    }
  }
}
