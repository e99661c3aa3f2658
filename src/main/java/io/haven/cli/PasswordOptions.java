package io.haven.cli;

import io.haven.archive.Secret;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where a backup's password comes from, first match wins: {@code --password PASSWORD},
 * {@code --password-file FILE} (its first line), {@code $HAVEN_PASSWORD}, or, for
 * {@code --password} alone, typed on the terminal without echo (twice for a new backup). A
 * password on the command line shows in {@code ps} and the shell's history; the others do not.
 */
final class PasswordOptions {
  /** The environment variable a password may come from. */
  static final String ENV = "HAVEN_PASSWORD";

  // Picocli gives an option without its value this one; nobody types an empty password.
  static final String ASK = "";

  @Option(names = "--password", arity = "0..1", fallbackValue = ASK, paramLabel = "PASSWORD",
      description = "The backup's password. Alone, it is asked for on the terminal. Without"
          + " it: --password-file, else $" + ENV + ".")
  String password;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "Read the backup's password from the first line of FILE.")
  Path file;

  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  /** Whether a password was given on the command line (by value, alone, or as a file). */
  boolean named() {
    return password != null || file != null;
  }

  /** The password for opening a backup; empty when none was given. */
  Optional<Secret.Password> forReading() throws IOException {
    return get(false);
  }

  /** The password for a new backup or copy: typed twice when asked for on the terminal. */
  Optional<Secret.Password> forWriting() throws IOException {
    return get(true);
  }

  private Optional<Secret.Password> get(boolean twice) throws IOException {
    if (password != null && file != null) {
      throw Usage.error(spec, "give the password once: on the command line or in a file");
    }
    if (file != null) {
      return Optional.of(new Secret.Password(firstLine(file)));
    }
    if (password != null) {
      return given(password, "--password", twice, spec);
    }
    String env = System.getenv(ENV);
    return env == null || env.isEmpty() ? Optional.empty()
        : Optional.of(new Secret.Password(env));
  }

  /**
   * The password {@code option} of {@code spec} gives: {@code value}, or typed on the terminal
   * when the option came alone; empty for an option not given (null).
   */
  static Optional<Secret.Password> given(String value, String option, boolean twice,
      CommandSpec spec) {
    if (value == null) {
      return Optional.empty();
    }
    return Optional.of(new Secret.Password(value.equals(ASK) ? typed(option, twice, spec)
        : value));
  }

  private static String typed(String option, boolean twice, CommandSpec spec) {
    Terminal terminal = Terminal.system().orElseThrow(() -> Usage.error(spec, option
        + " needs the password after it, and there is no terminal to ask on. Give it as "
        + option + " PASSWORD, or use --password-file FILE or $" + ENV + " for the backup's"
        + " password."));
    String first = terminal.secret("Password: ").filter(p -> !p.isEmpty())
        .orElseThrow(() -> Usage.error(spec, "no password typed; nothing was done"));
    if (twice && !terminal.secret("Password again: ").orElse("").equals(first)) {
      throw Usage.error(spec, "the two passwords differ; nothing was done");
    }
    return first;
  }

  private String firstLine(Path f) throws IOException {
    String line;
    try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      line = in.readLine();
    } catch (NoSuchFileException e) {
      throw Usage.error(spec, "there is no password file " + f);
    } catch (IOException e) {
      throw Usage.error(spec, "the password file " + f + " cannot be read: " + e.getMessage());
    }
    if (line == null || line.isEmpty()) {
      throw Usage.error(spec, "the password file " + f + " has no password on its first line");
    }
    return line;
  }
}
