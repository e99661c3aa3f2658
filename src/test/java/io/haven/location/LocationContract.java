package io.haven.location;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every Location must do, run against a real server by each subclass. Each test gets a
 * fresh, empty folder (or prefix) on the server, and sees the directory that backs it on this
 * machine, so it can check that nothing half-written stays behind.
 */
abstract class LocationContract {
  static {
    // The protocol libraries log every connection at INFO; keep test output to what matters.
    for (String library : List.of("net.schmizz", "com.hierynomus", "org.apache.http",
        "software.amazon", "com.github.sardine")) {
      System.setProperty("org.slf4j.simpleLogger.log." + library, "off");
    }
  }

  private static final AtomicInteger FOLDERS = new AtomicInteger();
  private static final long TWENTY_MB = 20L * 1024 * 1024;

  protected Location location;
  protected String folder;

  /** Opens the Location for {@code folder}, a fresh folder name under the server's root. */
  abstract Location open(String folder) throws IOException;

  /** The local directory where the server keeps {@code folder}'s objects. */
  abstract Path storage(String folder);

  /** Whether the Location logs in at all, so that a password can be wrong. */
  boolean hasPassword() {
    return false;
  }

  /** Opens {@code folder} with a wrong password or key; must fail. */
  Location openWithWrongPassword(String folder) throws IOException {
    throw new UnsupportedOperationException();
  }

  /** The secret {@link #openWithWrongPassword} uses, which no message may show. */
  String wrongSecret() {
    return "wrong-secret-7f3a";
  }

  /** Whether this test can kill and restart its server. */
  boolean canKillServer() {
    return false;
  }

  /** Kills the server (and its connections) without warning. */
  void killServer() throws IOException {}

  /** Starts the server again on the same port and storage. */
  void startServer() throws Exception {}

  @BeforeEach
  void openFreshFolder() throws IOException {
    folder = "t" + FOLDERS.incrementAndGet();
    location = open(folder);
  }

  @AfterEach
  void closeLocation() throws IOException {
    if (location != null) {
      location.close();
    }
  }

  @Test
  void newLocationListsNothing() throws IOException {
    assertEquals(List.of(), location.list());
  }

  @Test
  void writtenBytesReadBack() throws IOException {
    location.write("a.tar", out -> out.write("hello".getBytes(UTF_8)));
    assertEquals("hello", location.read("a.tar", in -> new String(in.readAllBytes(), UTF_8)));
  }

  @Test
  void twentyMegabytesStreamBothWays() throws IOException {
    String written = TestData.digestOf(TWENTY_MB, 20);
    location.write("big.tar", out -> TestData.write(out, TWENTY_MB, 20));
    assertEquals(written, location.read("big.tar", TestData::digest));
    assertEquals(TWENTY_MB, location.stat("big.tar").orElseThrow().size());
  }

  @Test
  void emptyObjectIsStoredToo() throws IOException {
    location.write("empty.tar", out -> {});
    assertEquals(0, location.stat("empty.tar").orElseThrow().size());
    assertEquals(0, (int) location.read("empty.tar", in -> in.readAllBytes().length));
  }

  @Test
  void listIsSortedByNameWithSizes() throws IOException {
    location.write("b.tar", out -> out.write(new byte[3]));
    location.write("a.tar", out -> out.write(new byte[1]));
    location.write("c.tar", out -> out.write(new byte[2]));
    List<ArchiveInfo> listed = location.list();
    assertEquals(List.of("a.tar", "b.tar", "c.tar"), listed.stream().map(ArchiveInfo::name)
        .toList());
    assertEquals(List.of(1L, 3L, 2L), listed.stream().map(ArchiveInfo::size).toList());
  }

  @Test
  void statShowsSizeAndMissingIsEmpty() throws IOException {
    location.write("a.tar", out -> out.write(new byte[42]));
    ArchiveInfo info = location.stat("a.tar").orElseThrow();
    assertEquals("a.tar", info.name());
    assertEquals(42, info.size());
    assertEquals(Optional.empty(), location.stat("missing.tar"));
  }

  @Test
  void writeReplacesAnExistingObject() throws IOException {
    location.write("a.tar", out -> out.write("first version".getBytes(UTF_8)));
    location.write("a.tar", out -> out.write("second".getBytes(UTF_8)));
    assertEquals("second", location.read("a.tar", in -> new String(in.readAllBytes(), UTF_8)));
    assertEquals(1, location.list().size());
  }

  @Test
  void deleteRemovesAndMissingIsNotFound() throws IOException {
    location.write("a.tar", out -> out.write(1));
    location.delete("a.tar");
    assertEquals(List.of(), location.list());
    LocationException.NotFound e = assertThrows(LocationException.NotFound.class,
        () -> location.delete("a.tar"));
    assertTrue(e.getMessage().contains(location.describe()), e.getMessage());
  }

  @Test
  void readOfMissingIsNotFound() {
    LocationException.NotFound e = assertThrows(LocationException.NotFound.class,
        () -> location.read("missing.tar", in -> in.read()));
    assertTrue(e.getMessage().contains("missing.tar"), e.getMessage());
  }

  @Test
  void badNamesAreRejectedBeforeAnythingIsSent() throws IOException {
    for (String bad : List.of("", "../x.tar", "a/b.tar", "..", ".hidden", "a b.tar",
        "x.tar.haven-tmp", "tab\t.tar", "c:x.tar")) {
      assertThrows(IllegalArgumentException.class, () -> location.write(bad, out -> out.write(1)),
          bad);
      assertThrows(IllegalArgumentException.class, () -> location.read(bad, in -> in.read()), bad);
      assertThrows(IllegalArgumentException.class, () -> location.stat(bad), bad);
      assertThrows(IllegalArgumentException.class, () -> location.delete(bad), bad);
    }
    assertEquals(List.of(), location.list());
  }

  @Test
  void failedWriteLeavesNothingListed() throws IOException {
    IOException sourceBroke = new IOException("the source broke");
    // 10 MB: past S3's first multipart part, so an abort is needed, not just no PUT.
    IOException thrown = assertThrows(IOException.class, () -> location.write("a.tar", out -> {
      TestData.write(out, 10L * 1024 * 1024, 1);
      throw sourceBroke;
    }));
    assertSame(sourceBroke, thrown, "the writer's own failure passes unchanged");
    assertEquals(List.of(), location.list());
    assertEquals(Optional.empty(), location.stat("a.tar"));
    assertEquals(List.of(), filesIn(storage(folder)), "no temporary stays behind");
  }

  @Test
  void failedReplaceKeepsTheOldObject() throws IOException {
    location.write("a.tar", out -> out.write("old".getBytes(UTF_8)));
    assertThrows(IOException.class, () -> location.write("a.tar", out -> {
      out.write("new but broken".getBytes(UTF_8));
      throw new IOException("the source broke");
    }));
    assertEquals("old", location.read("a.tar", in -> new String(in.readAllBytes(), UTF_8)));
  }

  @Test
  void interruptedWriteLeavesNothingListed() throws IOException {
    FaultyLocation faulty = new FaultyLocation(location).cutWritesAfter(100_000, 1);
    assertThrows(LocationException.Unreachable.class,
        () -> faulty.write("a.tar", out -> TestData.write(out, 1_000_000, 2)));
    assertEquals(List.of(), location.list());
    assertEquals(List.of(), filesIn(storage(folder)), "no temporary stays behind");
  }

  @Test
  void retryingLocationRecoversFromAnInterruptedWrite() throws IOException {
    FaultyLocation faulty = new FaultyLocation(location).cutWritesAfter(100_000, 2);
    Location retrying = new RetryingLocation(faulty, 3, Duration.ZERO, pause -> {});
    retrying.write("a.tar", out -> TestData.write(out, 1_000_000, 3));
    assertEquals(3, faulty.writes());
    assertEquals(List.of("a.tar"), retrying.list().stream().map(ArchiveInfo::name).toList());
    assertEquals(TestData.digestOf(1_000_000, 3), retrying.read("a.tar", TestData::digest));
  }

  @Test
  void wrongPasswordIsAuthenticationFailed() throws IOException {
    Assumptions.assumeTrue(hasPassword(), "no password to get wrong");
    LocationException.AuthenticationFailed e = assertThrows(
        LocationException.AuthenticationFailed.class, () -> {
          try (Location wrong = openWithWrongPassword(folder)) {
            wrong.list();
          }
        });
    assertFalse(e.getMessage().contains(wrongSecret()), e.getMessage());
    assertTrue(e.getMessage().contains("Check the"), e.getMessage());
  }

  @Test
  void describeNamesTheLocationButNoSecret() {
    assertFalse(location.describe().isBlank());
    assertFalse(location.describe().contains(secret()), location.describe());
    assertFalse(location.toString().contains(secret()), location.toString());
  }

  /** The real secret of {@link #open}, which describe() must not show. */
  String secret() {
    return "never-shown-secret";
  }

  @Test
  void serverKilledMidUploadIsUnreachableAndNothingIsListedAfter() throws Exception {
    Assumptions.assumeTrue(canKillServer(), "this server is not restarted by its test");
    LocationException.Unreachable e = assertThrows(LocationException.Unreachable.class,
        () -> location.write("big.tar", out -> {
          TestData.write(out, 5L * 1024 * 1024, 4);
          killServer();
          TestData.write(out, 30L * 1024 * 1024, 5);
        }));
    assertTrue(e.getMessage().contains(location.describe()), e.getMessage());
    startServer();
    assertEquals(List.of(), location.list(), "the same Location reconnects; nothing listed");
  }

  @Test
  void threadsThatFindTheConnectionDroppedReconnectOnce() throws Exception {
    Assumptions.assumeTrue(canKillServer(), "this server is not restarted by its test");
    int threads = 4;
    for (int i = 0; i < threads; i++) {
      String text = "object " + i;
      location.write("object-" + i, out -> out.write(text.getBytes(UTF_8)));
    }
    killServer();
    startServer();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      var start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<String>> reads = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int n = i;
        reads.add(pool.submit(() -> {
          start.await();
          return location.read("object-" + n, in -> new String(in.readAllBytes(), UTF_8));
        }));
      }
      start.countDown();
      for (int i = 0; i < threads; i++) {
        assertEquals("object " + i, reads.get(i).get(), "read on thread " + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static List<String> filesIn(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      files.filter(Files::isRegularFile).forEach(f -> names.add(dir.relativize(f).toString()));
    }
    return names;
  }
}
