package io.haven.location;

import java.net.URI;
import java.util.Map;

/**
 * Run in its own small-heap JVM by a test: writes and reads back an object far larger than the
 * heap through the Location a URL names, and prints the two digests. Exits non-zero on failure.
 * Arguments: url, size in MiB, then key=value options and secret.key=value secrets.
 */
public final class BoundedWrite {
  private BoundedWrite() {}

  public static void main(String[] args) throws Exception {
    long size = Long.parseLong(args[1]) * 1024 * 1024;
    LocationSpec spec = new LocationSpec("bounded", URI.create(args[0]), Map.of(), Map.of());
    for (int i = 2; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      spec = kv[0].startsWith("secret.") ? spec.withSecret(kv[0].substring(7), kv[1])
          : spec.withOption(kv[0], kv[1]);
    }
    try (Location location = Locations.open(spec)) {
      String written = TestData.digestOf(size, 77);
      location.write("huge.tar", out -> TestData.write(out, size, 77));
      String read = location.read("huge.tar", TestData::digest);
      System.out.println(written + " " + read + " " + location.stat("huge.tar").orElseThrow()
          .size());
    }
  }
}
