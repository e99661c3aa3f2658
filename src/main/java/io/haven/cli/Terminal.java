package io.haven.cli;

import java.io.Console;
import java.util.Locale;
import java.util.Optional;

/**
 * The user's terminal, when Haven runs on one (its input and output both a terminal): where a
 * password is typed without echo and a deletion is confirmed. Scripts and pipes have none, so
 * nothing there waits for an answer that cannot come.
 */
final class Terminal {
  private final Console console;

  private Terminal(Console console) {
    this.console = console;
  }

  /** This process's terminal, or empty when its input or output is not one. */
  static Optional<Terminal> system() {
    return Optional.ofNullable(System.console()).map(Terminal::new);
  }

  /** What the user types after {@code prompt}, not echoed; empty when the input ended. */
  Optional<String> secret(String prompt) {
    char[] typed = console.readPassword("%s", prompt);
    return typed == null ? Optional.empty() : Optional.of(new String(typed));
  }

  /** Whether the user answers yes to {@code question}; anything but y or yes is no. */
  boolean confirm(String question) {
    String answer = console.readLine("%s [y/N] ", question);
    if (answer == null) {
      return false;
    }
    String a = answer.strip().toLowerCase(Locale.ROOT);
    return a.equals("y") || a.equals("yes");
  }
}
