package io.haven.cli;

import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine;

/**
 * A command line that asks for what cannot be: picocli's usage failure (exit 2, the message and
 * a pointer to --help), raised where an option's value is read.
 */
final class Usage {
  private Usage() {}

  static CommandLine.ParameterException error(CommandSpec spec, String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /**
   * The value {@code parse} makes of an option; a value it refuses (IllegalArgumentException)
   * is the user's mistake in {@code option}.
   */
  static <T> T parse(CommandSpec spec, String option, Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw error(spec, option + ": " + e.getMessage());
    }
  }
}
