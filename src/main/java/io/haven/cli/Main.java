package io.haven.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.failure.ExitCode;
import io.haven.failure.ExpectedFailure;
import io.haven.failure.ReadOnly;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/** Entry point: runs the command and exits with its code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Logs.forCommand(args);
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs {@code args} with output to {@code out} and {@code err}; returns the exit code. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    return execute(new CommandLine(new HavenCommand()), args, out, err);
  }

  /** Runs {@code args} on {@code cli}, with Haven's failure handling. */
  static int execute(CommandLine cli, String[] args, PrintWriter out, PrintWriter err) {
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> report(e, cmd, json(parsed)));
    cli.setParameterExceptionHandler(Main::usage);
    return cli.execute(args);
  }

  /**
   * A command line that cannot be: the message and where to read about the options, not the
   * whole usage (which buries the one line that matters).
   */
  private static int usage(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    if (Arrays.asList(args).contains("--raw-json")) {
      printJson(cmd.getOut(), e.getMessage(), "Usage");
      return ExitCode.USAGE;
    }
    cmd.getErr().println("error: " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, cmd.getErr());
    cmd.getErr().println("See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
    return ExitCode.USAGE;
  }

  /**
   * Expected failures print their message only; anything else, an IllegalArgumentException
   * included (input is checked where it arrives, as a usage failure), is a bug worth a report.
   * With --raw-json the failure is the API's error envelope on stdout, where scripts read.
   */
  private static int report(Exception thrown, CommandLine cmd, boolean json) {
    PrintWriter err = cmd.getErr();
    Exception e = ReadOnly.of(thrown).map(Exception.class::cast).orElse(thrown);
    if (e instanceof ExpectedFailure f) {
      if (json) {
        printJson(cmd.getOut(), f.getMessage(), e.getClass().getSimpleName());
      } else {
        err.println("error: " + f.getMessage());
      }
      return f.exitCode();
    }
    if (json) {
      printJson(cmd.getOut(), "unexpected failure: " + e + ". This is a bug in Haven; please report it"
          + " with the command you ran.", "Bug");
      return ExitCode.BUG;
    }
    err.println("error: unexpected failure; this is a bug in Haven. Please report it with the"
        + " command you ran and the lines below.");
    e.printStackTrace(err);
    return ExitCode.BUG;
  }

  /** The Supervisor's error envelope, as the API answers, with Haven's kind of failure. */
  private static void printJson(PrintWriter out, String message, String type) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("result", "error");
    o.put("message", message);
    o.put("type", type);
    out.println(o.toPrettyString());
  }

  // --raw-json on the verb that ran, or on any command above it.
  private static boolean json(ParseResult parsed) {
    for (ParseResult r = parsed; r != null; r = r.subcommand()) {
      if (r.hasMatchedOption("--raw-json")) {
        return true;
      }
    }
    return false;
  }
}
