package io.haven.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * libsodium's secretstream and the Java one give the same bytes, each opens what the other seals,
 * and each opens Home Assistant's v3 archives and refuses damaged chunks; both Argon2id give the
 * same keys. Needs libsodium23; skips naming it otherwise.
 */
class SodiumTest {
  private static final int MIB = 1 << 20;
  private static final String WHAT = "backup 'x', part 'p'";

  @BeforeAll
  static void needsLibsodium() {
    if (!Sodium.AVAILABLE) {
      String missing = "libsodium (apt-get install libsodium23)";
      if ("1".equals(System.getenv("HAVEN_TEST_DISALLOW_SKIP"))) {
        fail("missing " + missing);
      }
      Assumptions.assumeTrue(false, "skipped: needs " + missing);
    }
  }

  enum Implementation {
    JAVA(JavaSecretStream::new),
    LIBSODIUM(SodiumSecretStream::new);

    final BiFunction<byte[], byte[], SecretStream> streams;

    Implementation(BiFunction<byte[], byte[], SecretStream> streams) {
      this.streams = streams;
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 16, MIB - 1, MIB, MIB + 1, 3 * MIB + 5})
  void bothSealTheSameBytesAndOpenEachOthers(int size) throws IOException {
    byte[] key = Keys.random(32);
    byte[] header = Keys.random(SecretStream.HEADER_BYTES);
    byte[] plain = SecureTarRoundTripTest.partLike(size);

    byte[] byJava = seal(new JavaSecretStream(key, header), plain);
    byte[] bySodium = seal(new SodiumSecretStream(key, header), plain);

    assertArrayEquals(byJava, bySodium);
    assertArrayEquals(plain, open(new SodiumSecretStream(key, header), byJava, size));
    assertArrayEquals(plain, open(new JavaSecretStream(key, header), bySodium, size));
  }

  @Test
  void everyTagAndTheRekeyItAsksForGiveTheSameBytes() {
    byte[] key = Keys.random(32);
    byte[] header = Keys.random(SecretStream.HEADER_BYTES);
    SecretStream java = new JavaSecretStream(key, header);
    SecretStream sodium = new SodiumSecretStream(key, header);
    SecretStream javaOpens = new JavaSecretStream(key, header);
    SecretStream sodiumOpens = new SodiumSecretStream(key, header);
    byte[] plain = SecureTarRoundTripTest.partLike(5000);
    byte[] a = new byte[plain.length + SecretStream.OVERHEAD];
    byte[] b = new byte[a.length];
    byte[] opened = new byte[plain.length];
    // MESSAGE, PUSH, REKEY (the state changes key), MESSAGE again under the new key, FINAL
    byte[] tags = {0x00, 0x01, 0x02, 0x00, 0x03};
    for (int i = 0; i < tags.length; i++) {
      int n = plain.length - 1000 * i;
      java.push(plain, 0, n, tags[i], a, 0);
      sodium.push(plain, 0, n, tags[i], b, 0);
      assertArrayEquals(Arrays.copyOf(a, n + 17), Arrays.copyOf(b, n + 17), "chunk " + i);
      assertEquals(tags[i], sodiumOpens.pull(a, 0, n + 17, opened, 0));
      assertArrayEquals(Arrays.copyOf(plain, n), Arrays.copyOf(opened, n));
      assertEquals(tags[i], javaOpens.pull(b, 0, n + 17, b, 1));
      assertArrayEquals(Arrays.copyOf(plain, n), Arrays.copyOfRange(b, 1, n + 1));
    }
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void aChunkWithItsTagTextOrMacChangedIsRefused(Implementation impl) {
    byte[] key = Keys.random(32);
    byte[] header = Keys.random(SecretStream.HEADER_BYTES);
    byte[] plain = SecureTarRoundTripTest.partLike(300);
    byte[] sealed = new byte[plain.length + SecretStream.OVERHEAD];
    byte[] opened = new byte[plain.length];
    impl.streams.apply(key, header).push(plain, 0, plain.length, SecretStream.TAG_MESSAGE, sealed, 0);

    for (int at : new int[] {0, 1, 150, plain.length, plain.length + 1, sealed.length - 1}) {
      sealed[at] ^= 0x40;
      assertEquals(SecretStream.FORGED,
          impl.streams.apply(key, header).pull(sealed, 0, sealed.length, opened, 0), "at " + at);
      sealed[at] ^= 0x40;
    }
    assertEquals(SecretStream.TAG_MESSAGE,
        impl.streams.apply(key, header).pull(sealed, 0, sealed.length, opened, 0));
    assertArrayEquals(plain, opened);
  }

  @ParameterizedTest
  @CsvSource({
    "JAVA, flip",
    "LIBSODIUM, flip",
    "JAVA, swap",
    "LIBSODIUM, swap",
    "JAVA, drop",
    "LIBSODIUM, drop"
  })
  void damagedChunksAreRefusedByEither(Implementation impl, String damage) throws IOException {
    byte[] key = Keys.random(32);
    byte[] header = Keys.random(SecretStream.HEADER_BYTES);
    int size = 3 * MIB + 5;
    byte[] plain = SecureTarRoundTripTest.partLike(size);
    byte[] sealed = seal(impl.streams.apply(key, header), plain);
    int chunk = MIB + SecretStream.OVERHEAD;
    String reason = "authentication failed at chunk 2";
    switch (damage) {
      case "flip":
        sealed[chunk + 1000] ^= 0x01;
        break;
      case "swap":
        byte[] second = Arrays.copyOfRange(sealed, chunk, 2 * chunk);
        System.arraycopy(sealed, 2 * chunk, sealed, chunk, chunk);
        System.arraycopy(second, 0, sealed, 2 * chunk, chunk);
        break;
      default: // the second chunk left out: the third cannot take its place
        byte[] rest = Arrays.copyOfRange(sealed, 2 * chunk, sealed.length);
        sealed = Arrays.copyOf(sealed, sealed.length - chunk);
        System.arraycopy(rest, 0, sealed, chunk, rest.length);
        size -= MIB;
        break;
    }
    byte[] damaged = sealed;
    int expected = size;

    var e = assertThrows(ArchiveException.Corrupt.class,
        () -> open(impl.streams.apply(key, header), damaged, expected));
    assertEquals("Cannot decrypt " + WHAT + " (SecureTar v3): " + reason
        + "; the archive is damaged; use another copy.", e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void homeAssistantsV3PartOpensWithEither(Implementation impl) throws IOException {
    var reader = new SecureTarReader(new Secret.Password("supervisor"), impl.streams);
    byte[] gzip = Fixtures.decrypt("backup_example_sec_v3.tar", "a0d7b954_example.tar.gz", reader,
        "backup 'f92f0339', part 'a0d7b954_example'");

    assertEquals(1295, gzip.length);
    assertTrue(Fixtures.gzippedTarEntries(gzip).contains("./addon.json"));
  }

  @ParameterizedTest
  @CsvSource({
    "JAVA, backup_truncated.tar, core_truncated.tar.gz, authentication failed at chunk 4",
    "LIBSODIUM, backup_truncated.tar, core_truncated.tar.gz, authentication failed at chunk 4",
    "JAVA, backup_no_final_tag.tar, core_no_final_tag.tar.gz, stream not finished (no FINAL tag)",
    "LIBSODIUM, backup_no_final_tag.tar, core_no_final_tag.tar.gz, stream not finished (no FINAL"
        + " tag)",
    "JAVA, backup_early_final_tag.tar, core_early_final_tag.tar.gz, data after the end (early"
        + " FINAL tag) at chunk 1",
    "LIBSODIUM, backup_early_final_tag.tar, core_early_final_tag.tar.gz, data after the end (early"
        + " FINAL tag) at chunk 1"
  })
  void homeAssistantsDamagedV3PartsAreRefusedByEither(
      Implementation impl, String fixture, String member, String reason) {
    var reader = new SecureTarReader(new Secret.Password("hunter2"), impl.streams);
    String what = "backup 'st', part '" + member + "'";

    var e = assertThrows(ArchiveException.Corrupt.class,
        () -> Fixtures.decrypt(fixture, member, reader, what));
    assertEquals("Cannot decrypt " + what + " (SecureTar v3): " + reason
        + "; the archive is damaged; use another copy.", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "supervisor", "pässwörd ☃ 日本語", "a long passphrase of many words"})
  void argon2idOfLibsodiumIsBouncyCastles(String password) {
    byte[] salt = Keys.random(Keys.SALT_BYTES);

    assertArrayEquals(Keys.argon2RootKeyInJava(password, salt), Keys.argon2RootKey(password, salt));
  }

  private static byte[] seal(SecretStream stream, byte[] plain) throws IOException {
    var sink = new ByteArrayOutputStream();
    try (var out = new SecretStreamOutputStream(sink, new byte[0], stream, new byte[32])) {
      out.write(plain);
    }
    return sink.toByteArray();
  }

  private static byte[] open(SecretStream stream, byte[] sealed, long size) throws IOException {
    try (var member = new MemberInputStream(
            new ByteArrayInputStream(sealed), sealed.length, WHAT, "SecureTar v3");
        var in = new SecretStreamInputStream(member, stream, size, WHAT)) {
      return in.readAllBytes();
    }
  }
}
