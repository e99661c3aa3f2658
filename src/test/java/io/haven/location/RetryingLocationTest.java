package io.haven.location;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RetryingLocation around a real FileLocation, broken on purpose by FaultyLocation. */
class RetryingLocationTest {
  @TempDir
  Path dir;

  private FaultyLocation faulty;
  private final List<Duration> pauses = new ArrayList<>();
  private RetryingLocation retrying;

  @BeforeEach
  void wrap() throws IOException {
    faulty = new FaultyLocation(FileLocation.at(dir));
    retrying = new RetryingLocation(faulty, 3, Duration.ofSeconds(1), pauses::add);
  }

  @Test
  void transientFailureIsRetriedAfterAPause() throws IOException {
    faulty.failCall(1);
    assertEquals(List.of(), retrying.list());
    assertEquals(List.of(Duration.ofSeconds(1)), pauses);
  }

  @Test
  void givesUpAfterTheLastAttemptWithTheLastFailure() {
    faulty.cutWritesAfter(10, 5);
    assertThrows(LocationException.Unreachable.class,
        () -> retrying.write("a.tar", out -> out.write(new byte[100])));
    assertEquals(3, faulty.writes());
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), pauses);
  }

  @Test
  void writersOwnFailureIsNotRetried() {
    IOException own = new IOException("the source file vanished");
    IOException thrown = assertThrows(IOException.class,
        () -> retrying.write("a.tar", out -> {
          out.write(1);
          throw own;
        }));
    assertSame(own, thrown);
    assertEquals(1, faulty.writes());
  }

  @Test
  void notFoundIsNotRetried() {
    assertThrows(LocationException.NotFound.class, () -> retrying.read("a.tar", in -> in.read()));
    assertEquals(List.of(), pauses);
  }

  @Test
  void readerIsCalledAgainFromTheStartAfterATransientFailure() throws IOException {
    retrying.write("a.tar", out -> out.write("content".getBytes(UTF_8)));
    faulty.failCall(1);
    assertEquals("content", retrying.read("a.tar", in -> new String(in.readAllBytes(), UTF_8)));
  }

  @Test
  void deleteWhoseAnswerWasLostCountsAsDone() throws IOException {
    retrying.write("a.tar", out -> out.write(1));
    Location losesAnswer = new RetryingLocation(new LosesFirstDeleteAnswer(faulty), 3,
        Duration.ZERO, pause -> {});
    losesAnswer.delete("a.tar");
    assertEquals(List.of(), retrying.list());
  }

  /** Deletes for real, then reports the connection as dropped, as a lost answer looks. */
  private static final class LosesFirstDeleteAnswer extends ForwardingLocation {
    private boolean lost;

    LosesFirstDeleteAnswer(Location delegate) {
      super(delegate);
    }

    @Override
    public void delete(String name) throws IOException {
      delegate.delete(name);
      if (!lost) {
        lost = true;
        throw new LocationException.Unreachable("answer lost", null);
      }
    }
  }
}
