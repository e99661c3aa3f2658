package io.haven.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-built secretstream agrees with libsodium itself (through PyNaCl), both ways, across
 * chunk boundaries. Needs /usr/bin/python3 with python3-nacl; skips naming them otherwise.
 */
class SecretStreamLibsodiumTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final int MIB = 1 << 20;
  private static final HexFormat HEX = HexFormat.of();

  @TempDir Path dir;

  @BeforeAll
  static void needsPyNaCl() throws Exception {
    boolean present =
        Files.isExecutable(PYTHON)
            && new ProcessBuilder(PYTHON.toString(), "-c", "import nacl.bindings")
                    .redirectErrorStream(true)
                    .start()
                    .waitFor()
                == 0;
    if (!present) {
      String missing = "/usr/bin/python3 with python3-nacl (apt-get install python3-nacl)";
      if ("1".equals(System.getenv("HAVEN_TEST_DISALLOW_SKIP"))) {
        fail("missing " + missing);
      }
      Assumptions.assumeTrue(false, "skipped: needs " + missing);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, MIB - 1, MIB, MIB + 1, 3 * MIB + 5})
  void libsodiumOpensWhatHavenSeals(int size) throws Exception {
    byte[] key = Keys.random(32);
    byte[] header = Keys.random(SecretStream.HEADER_BYTES);
    byte[] plain = SecureTarRoundTripTest.partLike(size);
    Path sealed = dir.resolve("sealed");
    try (var out =
        new SecretStreamOutputStream(
            Files.newOutputStream(sealed), new byte[0], SecretStream.open(key, header),
            new byte[32])) {
      out.write(plain);
    }

    Path opened = dir.resolve("opened");
    python("decrypt", HEX.formatHex(key), HEX.formatHex(header), sealed, opened);
    assertArrayEquals(plain, Files.readAllBytes(opened));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, MIB - 1, MIB, MIB + 1, 3 * MIB + 5})
  void havenOpensWhatLibsodiumSeals(int size) throws Exception {
    byte[] key = Keys.random(32);
    byte[] plain = SecureTarRoundTripTest.partLike(size);
    Path source = Files.write(dir.resolve("plain"), plain);
    Path sealed = dir.resolve("sealed");
    byte[] header = HEX.parseHex(python("encrypt", HEX.formatHex(key), source, sealed).strip());

    long sealedSize = Files.size(sealed);
    try (InputStream file = Files.newInputStream(sealed);
        var member = new MemberInputStream(file, sealedSize, "libsodium stream", "SecureTar v3");
        var in =
            new SecretStreamInputStream(
                member, SecretStream.open(key, header), size, "libsodium stream")) {
      assertArrayEquals(plain, in.readAllBytes());
    }
  }

  private static String python(String mode, Object... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script().toString(), mode));
    for (Object arg : args) {
      command.add(arg.toString());
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), "libsodium says: " + output);
    return output;
  }

  private static Path script() throws IOException {
    try {
      return Path.of(SecretStreamLibsodiumTest.class.getResource("secretstream.py").toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
  }
}
