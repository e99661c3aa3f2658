package io.haven.restic;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/** The real restic binary, run on a repository with a password file; skips without it. */
public final class Restic {
  public static final String PASSWORD = "correct horse battery staple";
  private final String repository;
  private final List<String> options;
  private final Map<String, String> environment;
  private final Path passwordFile;

  public Restic(Path repo, Path work) throws IOException {
    this(repo.toString(), work, List.of(), Map.of());
  }

  /** restic on {@code repository} ("sftp:...", "s3:..."), with options and environment. */
  public Restic(String repository, Path work, List<String> options,
      Map<String, String> environment) throws IOException {
    this.repository = repository;
    this.options = options;
    this.environment = environment;
    this.passwordFile = work.resolve("restic-password");
    Files.writeString(passwordFile, PASSWORD);
  }

  public static Path program() {
    for (String dir : List.of("/usr/bin", "/usr/local/bin")) {
      Path p = Path.of(dir, "restic");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String why = "restic is missing: apt-get install restic";
    if ("1".equals(System.getenv("HAVEN_TEST_DISALLOW_SKIP"))) {
      fail(why);
    }
    Assumptions.assumeTrue(false, why);
    throw new AssertionError(why);
  }

  /** Runs restic with these arguments; fails the test on a non-zero exit. Returns stdout. */
  public String run(String... args) throws IOException, InterruptedException {
    Result r = tryRun(args);
    if (r.exit() != 0) {
      fail("restic " + String.join(" ", args) + " exited " + r.exit() + ":\n" + r.out());
    }
    return r.out();
  }

  public record Result(int exit, String out) {}

  /** Starts restic with these arguments, its input open to the caller, its output merged. */
  public Process start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(program().toString(), "-r", repository,
        "--password-file", passwordFile.toString(), "--no-cache"));
    cmd.addAll(options);
    if (!args[0].equals("diff") && !List.of(args).contains("--verbose")) {
      cmd.add("-q"); // diff is quiet about the very files it is asked to list
    }
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("RESTIC_PASSWORD");
    pb.environment().putAll(environment);
    return pb.start();
  }

  public Result tryRun(String... args) throws IOException, InterruptedException {
    Process p = start(args);
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }
}
