package io.haven.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Realistic data roots made by ../shared/tools/gendata.py, generated once per scale and copied. */
public final class GenData {
  private GenData() {}

  /** A fresh copy of a gendata root of about {@code scaleMb} MB at {@code target}. */
  public static Path copyTo(Path target, int scaleMb) throws IOException, InterruptedException {
    Path cached = cached(scaleMb);
    run(new ProcessBuilder("cp", "-a", cached.toString(), target.toString()));
    return target;
  }

  private static synchronized Path cached(int scaleMb) throws IOException, InterruptedException {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "haven-gendata-" + scaleMb);
    if (Files.isDirectory(dir.resolve("config"))) {
      return dir;
    }
    Path partial = Path.of(dir + ".partial");
    run(new ProcessBuilder("rm", "-rf", partial.toString()));
    Path script = Path.of(System.getProperty("haven.shared", "../shared"), "tools", "gendata.py");
    run(new ProcessBuilder("python3", script.toString(), partial.toString(),
        "--scale", Integer.toString(scaleMb)));
    Files.move(partial, dir);
    return dir;
  }

  public static void run(ProcessBuilder pb) throws IOException, InterruptedException {
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException(pb.command() + " failed: " + out);
    }
  }
}
