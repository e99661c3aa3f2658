package io.haven.cli;

import io.haven.failure.ExitCode;
import io.haven.failure.ExpectedFailure;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point: runs the command and exits with its code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs {@code args} with output to {@code out} and {@code err}; returns the exit code. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new HavenCommand());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> report(e, cmd.getErr()));
    // A command line picocli could not parse is a usage error, not a bug.
    cli.setExitCodeExceptionMapper(e -> e instanceof ExpectedFailure f ? f.exitCode()
        : e instanceof CommandLine.ParameterException ? ExitCode.USAGE : ExitCode.BUG);
    return cli.execute(args);
  }

  // Expected failures print their message only; anything else is a bug worth a report.
  static int report(Exception e, PrintWriter err) {
    Throwable cause = e;
    if (cause instanceof ExpectedFailure f) {
      err.println("error: " + cause.getMessage());
      return f.exitCode();
    }
    if (cause instanceof IllegalArgumentException) {
      err.println("error: " + cause.getMessage());
      return ExitCode.USAGE;
    }
    err.println("error: unexpected failure; please report this with the lines below.");
    cause.printStackTrace(err);
    return ExitCode.BUG;
  }
}
