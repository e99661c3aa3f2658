package io.haven.location;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of the {@code rclone} program. Its error output goes to a temporary file, so the pipe
 * can never fill up and stall it, and the last lines of that file explain a failure.
 */
final class RcloneProcess implements AutoCloseable {
  /** The tail of rclone's error output kept for a message; the full log can be long. */
  private static final int ERROR_TAIL_BYTES = 2048;

  private final Process process;
  private final Path errors;

  private RcloneProcess(Process process, Path errors) {
    this.process = process;
    this.errors = errors;
  }

  /** Starts {@code program [--config file] args...}; stdin and stdout are pipes. */
  static RcloneProcess start(String program, String config, String lowLevelRetries,
      List<String> args, boolean discardOutput) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(program);
    if (config != null) {
      command.add("--config");
      command.add(config);
    }
    // One try per call: RetryingLocation decides about trying again, not each rclone run.
    command.add("--retries");
    command.add("1");
    // rclone's per-request retries stay few: ten of them wait ~11 s before a refused connection
    // or a wrong password is reported.
    command.add("--low-level-retries");
    command.add(lowLevelRetries);
    command.addAll(args);
    Path errors = Files.createTempFile("haven-rclone", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
    if (discardOutput) {
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    try {
      return new RcloneProcess(builder.start(), errors);
    } catch (IOException e) {
      Files.deleteIfExists(errors);
      throw e;
    }
  }

  Process process() {
    return process;
  }

  /** Waits for the end and returns the exit code. */
  int waitFor() throws IOException {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new java.io.InterruptedIOException("interrupted while rclone ran");
    }
  }

  /** The last lines rclone printed, to explain a failure. */
  String errorTail() {
    try (RandomAccessFile file = new RandomAccessFile(errors.toFile(), "r")) {
      long start = Math.max(0, file.length() - ERROR_TAIL_BYTES);
      byte[] tail = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(tail);
      return new String(tail, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "(rclone's error output is unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws IOException {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          // Dead for sure before anyone removes what it was writing.
          process.waitFor(30, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    Files.deleteIfExists(errors);
  }
}
