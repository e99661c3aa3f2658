package io.haven.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory does not grow with the archive: a part of more than 2 GiB is written and read back
 * through every stage (tar, zstd, SecureTar v3, outer tar, checksum) by a JVM limited to a 64 MiB
 * heap. A buffer sized from the part would fail there with OutOfMemoryError.
 */
class BoundedMemoryTest {
  @TempDir Path tmp;

  @Test
  void partLargerThanTwoGibRoundTripsInSixtyFourMibHeap() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx64m",
        "-cp", System.getProperty("java.class.path"),
        BoundedMemoryRoundTrip.class.getName(), tmp.resolve("big.tar").toString()))
        .redirectErrorStream(true)
        .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "child JVM failed:\n" + output);
    String[] ok = output.lines().filter(l -> l.startsWith("ok ")).findFirst()
        .orElseThrow(() -> new AssertionError("no result line in:\n" + output)).split(" ");
    assertEquals(BoundedMemoryRoundTrip.SIZE, Long.parseLong(ok[1]), output);
    assertTrue(Long.parseLong(ok[2]) <= 64L * 1024 * 1024, "peak heap " + ok[2]);
  }
}
