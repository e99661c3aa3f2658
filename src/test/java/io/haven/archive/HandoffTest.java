package io.haven.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HandoffTest {
  private static final int B = Chunks.SIZE;

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, B - 1, B, B + 1, 9 * B + 17})
  void bytesPassThroughBothWaysInOrder(int size) throws IOException {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    for (boolean background : new boolean[] {true, false}) {
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      try (OutputStream out = new HandoffOutputStream(sink, "test-handoff")) {
        writeInOddSteps(data, out);
      }
      assertArrayEquals(data, sink.toByteArray(), "handoff out, background=" + background);
      try (InputStream in = new ReadAheadInputStream(new ByteArrayInputStream(data),
          "test-read-ahead", background)) {
        assertArrayEquals(data, in.readAllBytes(), "read ahead, background=" + background);
      }
    }
  }

  @Test
  void aFailingSinkReachesTheWriterWithItsOwnException() throws IOException {
    IOException full = new IOException("No space left on device");
    OutputStream failing = new OutputStream() {
      long written;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        written += len;
        if (written > 3L * B) {
          throw full;
        }
      }
    };
    HandoffOutputStream out = new HandoffOutputStream(failing, "test-handoff");
    IOException seen = assertThrows(IOException.class, () -> {
      for (int i = 0; i < 100; i++) { // far more than the chunks it holds: never hangs
        out.write(new byte[B], 0, B);
      }
      out.close();
    });
    assertSame(full, seen);
    assertSame(full, assertThrows(IOException.class, out::close));
  }

  @Test
  void aFailingSourceReachesTheReaderAfterTheBytesBeforeIt() throws IOException {
    IOException corrupt = new IOException("corrupt block");
    int good = 2 * B + 100;
    InputStream failing = new InputStream() {
      int at;

      @Override
      public int read() throws IOException {
        if (at == good) {
          throw corrupt;
        }
        at++;
        return 7;
      }
    };
    try (InputStream in = new ReadAheadInputStream(failing, "test-read-ahead", true)) {
      byte[] got = in.readNBytes(good);
      assertEquals(good, got.length);
      assertSame(corrupt, assertThrows(IOException.class, in::read));
    }
  }

  @Test
  void closeBeforeTheEndStopsTheThreadBeforeClosingTheSource() throws Exception {
    AtomicBoolean readAfterClose = new AtomicBoolean();
    AtomicBoolean closed = new AtomicBoolean();
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        if (closed.get()) {
          readAfterClose.set(true);
        }
        return 1;
      }

      @Override
      public void close() {
        closed.set(true);
      }
    };
    InputStream in = new ReadAheadInputStream(endless, "test-read-ahead-close", true);
    in.readNBytes(B + 5);
    in.close();
    assertTrue(closed.get());
    Thread.sleep(50); // a thread still running would read now
    assertTrue(!readAfterClose.get(), "the source was read after it was closed");
    assertTrue(Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().equals("test-read-ahead-close")));
  }

  private static void writeInOddSteps(byte[] data, OutputStream out) throws IOException {
    int at = 0;
    for (int step = 1; at < data.length; step = step * 3 % 100_003 + 1) {
      int n = Math.min(step, data.length - at);
      if (n == 1) {
        out.write(data[at]);
      } else {
        out.write(data, at, n);
      }
      at += n;
    }
  }
}
