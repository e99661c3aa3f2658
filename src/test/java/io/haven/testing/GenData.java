package io.haven.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Realistic data roots made by the project's {@code tools/gendata.py}, generated once per
 * scale, shape and database mode into the temporary directory and copied for each test.
 */
public final class GenData {
  private GenData() {}

  /** How the root's bytes are spread (gendata.py's --shape). */
  public enum Shape { DEFAULT, SMALL_FILES, HUGE_FILES }

  /** The recorder database's state (gendata.py's --db): WAL is Home Assistant running. */
  public enum Db { WAL, ROLLBACK, NONE }

  /** A fresh copy of a default root of about {@code scaleMb} MB, its database in WAL mode. */
  public static Path copyTo(Path target, int scaleMb) throws IOException, InterruptedException {
    return copyTo(target, scaleMb, Shape.DEFAULT, Db.WAL);
  }

  /** A fresh copy of a root of about {@code scaleMb} MB with the database as given. */
  public static Path copyTo(Path target, int scaleMb, Db db)
      throws IOException, InterruptedException {
    return copyTo(target, scaleMb, Shape.DEFAULT, db);
  }

  /** A fresh copy of a root of about {@code scaleMb} MB of the given shape and database. */
  public static Path copyTo(Path target, int scaleMb, Shape shape, Db db)
      throws IOException, InterruptedException {
    Path cached = cached(scaleMb, option(shape), option(db));
    run(new ProcessBuilder("cp", "-a", cached.toString(), target.toString()));
    return target;
  }

  private static synchronized Path cached(int scaleMb, String shape, String db)
      throws IOException, InterruptedException {
    Path script = script();
    Path dir = Path.of(System.getProperty("java.io.tmpdir"),
        "haven-gendata-" + scaleMb + "-" + shape + "-" + db + "-" + Files.size(script));
    if (Files.isDirectory(dir.resolve("config"))) {
      return dir;
    }
    Path partial = Path.of(dir + ".partial");
    run(new ProcessBuilder("rm", "-rf", partial.toString()));
    run(new ProcessBuilder(python(), script.toString(), partial.toString(),
        "--scale", Integer.toString(scaleMb), "--shape", shape, "--db", db));
    Files.move(partial, dir);
    return dir;
  }

  private static String option(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static Path script() {
    Path script = Path.of(System.getProperty("haven.gendata", "tools/gendata.py"));
    if (!Files.isRegularFile(script)) {
      fail("the data generator " + script.toAbsolutePath() + " is missing");
    }
    return script;
  }

  // gendata.py needs only Python's standard library (sqlite3 included).
  private static String python() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, "python3"))) {
        return "python3";
      }
    }
    String why = "python3 is not installed (apt-get install python3): it makes the test data";
    if ("1".equals(System.getenv("HAVEN_TEST_DISALLOW_SKIP"))) {
      fail(why + " and HAVEN_TEST_DISALLOW_SKIP=1");
    }
    Assumptions.abort(why);
    return "unreachable";
  }

  public static void run(ProcessBuilder pb) throws IOException, InterruptedException {
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException(pb.command() + " failed: " + out);
    }
  }
}
