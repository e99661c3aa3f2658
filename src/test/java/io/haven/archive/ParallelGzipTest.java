package io.haven.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gzip written on two cores is one gzip member that the gzip program and Haven's reader take as
 * they take a single thread's, and it is about as small.
 */
class ParallelGzipTest {
  @TempDir Path tmp;

  @Test
  void twoWorkersWriteGzipThatGzipReadsAndThatIsAsSmall() throws Exception {
    byte[] data = sample(3_000_000);
    Path one = write(tmp.resolve("one.gz"), data, 1);
    Path two = write(tmp.resolve("two.gz"), data, 2);

    Process test = new ProcessBuilder("gzip", "-t", two.toString()).inheritIO().start();
    assertEquals(0, test.waitFor(), "gzip -t of the two cores' output");
    Process unzip = new ProcessBuilder("gzip", "-dc", two.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] byGzip;
    try (InputStream in = unzip.getInputStream()) {
      byGzip = sha256(in);
    }
    assertEquals(0, unzip.waitFor());
    assertArrayEquals(sha256(new java.io.ByteArrayInputStream(data)), byGzip);
    try (InputStream in = Gzip.tolerantInput(Files.newInputStream(two), "a test part")) {
      assertArrayEquals(data, in.readAllBytes());
    }
    long single = Files.size(one);
    long parallel = Files.size(two);
    System.out.printf("GZIP one thread %d bytes, two %d bytes (%.2f %%)%n", single, parallel,
        100.0 * (parallel - single) / single);
    assertTrue(parallel < single * 1.03, parallel + " bytes against " + single);
  }

  private static Path write(Path file, byte[] data, int workers) throws IOException {
    try (OutputStream out = Compression.GZIP.compress(Files.newOutputStream(file), workers)) {
      for (int at = 0; at < data.length; at += 10_000) {
        out.write(data, at, Math.min(10_000, data.length - at));
      }
    }
    return file;
  }

  // Log-like lines with numbers, and a stretch of noise: what a configuration directory holds.
  private static byte[] sample(int size) {
    Random random = new Random(7);
    StringBuilder s = new StringBuilder();
    while (s.length() < size * 3 / 4) {
      s.append("2026-12-07 12:").append(random.nextInt(60)).append(" INFO sensor.temperature_")
          .append(random.nextInt(40)).append(" state=").append(random.nextInt(3000) / 100.0)
          .append('\n');
    }
    byte[] text = s.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] data = new byte[size];
    System.arraycopy(text, 0, data, 0, Math.min(text.length, size));
    byte[] noise = new byte[size - Math.min(text.length, size)];
    random.nextBytes(noise);
    System.arraycopy(noise, 0, data, size - noise.length, noise.length);
    return data;
  }

  private static byte[] sha256(InputStream in) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[65536];
    for (int n; (n = in.read(buf)) > 0; ) {
      md.update(buf, 0, n);
    }
    return md.digest();
  }
}
