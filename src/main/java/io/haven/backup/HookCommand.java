package io.haven.backup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one service command with {@code /bin/sh -c}, its output (stdout and stderr, line by line)
 * sent to the job log as it comes. A command still running at its timeout is killed with
 * everything it started.
 */
final class HookCommand {
  /** Lines longer than this are cut in the log: a command's output must not fill the heap. */
  private static final int MAX_LINE = 4096;

  private final Path workDir;
  private final Consumer<String> log;

  HookCommand(Path workDir, Consumer<String> log) {
    this.workDir = workDir;
    this.log = log;
  }

  /** Runs {@code command}; {@code what} names it in the log and in a failure ("stop homeassistant"). */
  void run(String what, String command, Duration timeout) throws HookException {
    log.accept(what + ": " + command);
    long started = System.nanoTime();
    Process p;
    try {
      ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command);
      if (java.nio.file.Files.isDirectory(workDir)) {
        pb.directory(workDir.toFile()); // a first restore runs before the data root exists
      }
      p = pb.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(devNull()))
          .start();
    } catch (IOException e) {
      throw new HookException.Failed("Could not run the " + what + " command '" + command + "': "
          + e.getMessage() + ". Check the services: section of the config.", e);
    }
    Thread pump = pump(what, p);
    boolean finished = waitFor(p, timeout);
    if (!finished) {
      kill(p);
      join(pump);
      throw new HookException.TimedOut("The " + what + " command '" + command + "' was still"
          + " running after " + timeout.toSeconds() + " s and was stopped. Check the command, or"
          + " raise its timeout_seconds in the services: section of the config.");
    }
    join(pump);
    int status = p.exitValue();
    log.accept(String.format(java.util.Locale.ROOT, "%s: exit %d after %.1f s", what, status,
        (System.nanoTime() - started) / 1e9));
    if (status != 0) {
      throw new HookException.Failed("The " + what + " command '" + command + "' failed with exit"
          + " status " + status + " (its output is in the log). Fix the command or the service,"
          + " then try again.", null);
    }
  }

  private Thread pump(String what, Process p) {
    Thread t = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          log.accept(what + "| " + (line.length() > MAX_LINE ? line.substring(0, MAX_LINE) : line));
        }
      } catch (IOException e) {
        // The process went away: its remaining output is lost, its status still counts.
      }
    }, "hook-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static boolean waitFor(Process p, Duration timeout) throws HookException {
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill(p);
      throw new HookException.Failed("Interrupted while waiting for a service command.", e);
    }
  }

  // Children first, so a "sleep" under the shell does not keep the output pipe open.
  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // A pipe held by an orphaned grandchild could keep the pump reading; do not wait for ever.
  private static void join(Thread pump) {
    try {
      pump.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static java.io.File devNull() {
    return new java.io.File("/dev/null");
  }
}
