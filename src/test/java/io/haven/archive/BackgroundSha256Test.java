package io.haven.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackgroundSha256Test {
  private static final int B = Chunks.SIZE;

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, B - 1, B, B + 1, 5 * B + 17, 13 * B})
  void digestIsSha256OfEveryByteInOrder(int size) throws Exception {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    for (boolean background : new boolean[] {true, false}) {
      BackgroundSha256 h = new BackgroundSha256(background);
      // Odd-sized writes and single bytes, so chunks fill across write boundaries.
      int at = 0;
      for (int step = 1; at < size; step = step * 3 % 100_003 + 1) {
        int n = Math.min(step, size - at);
        if (n == 1) {
          h.update(data[at]);
        } else {
          h.update(data, at, n);
        }
        at += n;
      }
      assertEquals(Sha256.hex(MessageDigest.getInstance("SHA-256").digest(data)),
          Sha256.hex(h.digest()), "background=" + background);
    }
  }

  @ParameterizedTest(name = "after {0} bytes")
  @ValueSource(ints = {0, 3 * B + 5})
  void closeWithoutDigestEndsTheThread(int size) throws Exception {
    BackgroundSha256 h = new BackgroundSha256(true);
    h.update(new byte[size], 0, size);
    h.close();
    Thread hasher = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("haven-sha256")).findFirst().orElse(null);
    if (hasher != null) {
      hasher.join(); // returns only because close() ended it
    }
    assertFalse(hasher != null && hasher.isAlive());
  }
}
