package io.haven.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What Haven writes, Haven reads back, byte for byte, with the documented member sizes. */
class SecureTarRoundTripTest {
  private static final int MIB = 1 << 20;
  private static final Secret.Password PASSWORD = new Secret.Password("abcd-EFGH-1234");
  private static final String WHAT = "backup 'a1b2c3d4', part 'share'";

  /** One v3 writer and reader for the class: Argon2id runs once for each, as per archive. */
  private static SecureTar.Writer v3;

  private static SecureTar.Reader reader;

  @BeforeAll
  static void keys() {
    v3 = SecureTar.writer(SecureTar.Version.V3, PASSWORD);
    reader = SecureTar.reader(PASSWORD);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 15, 16, 17, MIB - 1, MIB, MIB + 1, 3 * MIB + 5})
  void v2RoundTripsWithTheDocumentedMemberSize(int size) throws IOException {
    byte[] plain = partLike(size);
    byte[] member = encrypt(SecureTar.writer(SecureTar.Version.V2, PASSWORD), plain);

    assertEquals(48 + size + 16 - size % 16, member.length);
    assertArrayEquals(plain, decrypt(member), "size patched");
    patchSize(member, 0);
    assertArrayEquals(plain, decrypt(member), "size 0, as in-place writers leave it");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 15, 16, 17, MIB - 1, MIB, MIB + 1, 3 * MIB + 5})
  void v3RoundTripsWithTheDocumentedMemberSize(int size) throws IOException {
    byte[] plain = partLike(size);
    byte[] member = encrypt(v3, plain);

    long chunks = Math.max(1, (size + (long) MIB - 1) / MIB);
    assertEquals(136 + size + 17 * chunks, member.length);
    assertArrayEquals(plain, decrypt(member));
  }

  @Test
  void v2WrongPasswordIsReportedNotCorrupt() throws IOException {
    byte[] member = encrypt(SecureTar.writer(SecureTar.Version.V2, PASSWORD), partLike(5000));
    var other = SecureTar.reader(new Secret.Password("abcd-EFGH-1235"));

    assertThrows(
        ArchiveException.WrongPassword.class,
        () -> other.decrypt(new ByteArrayInputStream(member), member.length, WHAT));
  }

  @Test
  void v3FlippedCiphertextByteFailsAuthentication() throws IOException {
    byte[] member = encrypt(v3, partLike(MIB + 100));
    member[136 + MIB + 17 + 40] ^= 0x01; // inside the second chunk

    var e = assertThrows(ArchiveException.Corrupt.class, () -> decrypt(member));
    assertTrue(e.getMessage().contains("authentication failed at chunk 2"), e.getMessage());
  }

  @Test
  void v3MissingWholeChunksIsTruncated() throws IOException {
    byte[] member = Arrays.copyOf(encrypt(v3, partLike(3 * MIB + 5)), 136 + MIB + 17);

    var e = assertThrows(ArchiveException.Corrupt.class, () -> decrypt(member));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void v3BytesAfterTheFinalChunkAreRefused() throws IOException {
    // A full 1 MiB FINAL chunk, then more: the reader reads whole chunks, so it sees the tag.
    byte[] member = Arrays.copyOf(encrypt(v3, partLike(MIB)), 136 + MIB + 17 + 17);

    var e = assertThrows(ArchiveException.Corrupt.class, () -> decrypt(member));
    assertTrue(e.getMessage().contains("data after the end (early FINAL tag)"), e.getMessage());
  }

  @Test
  void v3SizeLeftUnpatchedIsRefused() throws IOException {
    byte[] member = encrypt(v3, partLike(100));
    patchSize(member, 0);

    var e = assertThrows(ArchiveException.Corrupt.class, () -> decrypt(member));
    assertTrue(e.getMessage().contains("the header says 0 bytes"), e.getMessage());
  }

  @Test
  void v3PartsOfOneArchiveShareTheRootKeyButNotTheFileKey() throws IOException {
    byte[] a = encrypt(v3, partLike(10));
    byte[] b = encrypt(v3, partLike(10));

    // root salt, validation salt, validation key: the archive's
    assertArrayEquals(Arrays.copyOfRange(a, 32, 96), Arrays.copyOfRange(b, 32, 96));
    // derivation salt and stream header: each part's own
    assertFalse(Arrays.equals(Arrays.copyOfRange(a, 96, 136), Arrays.copyOfRange(b, 96, 136)));
  }

  @Test
  void headersCarryTheMagicAndVersion() throws IOException {
    byte[] v2member = encrypt(SecureTar.writer(SecureTar.Version.V2, PASSWORD), partLike(10));
    byte[] v3member = encrypt(v3, partLike(10));

    assertTrue(SecureTar.hasMagic(v2member, v2member.length));
    assertEquals(2, v2member[9]);
    assertEquals(3, v3member[9]);
    assertFalse(SecureTar.hasMagic(v2member, 8));
  }

  @Test
  void v1OpensWithAPasswordWhetherOrNotTheLastWriteWasPadded() throws Exception {
    byte[] aligned = partLike(4096);
    byte[] unaligned = partLike(4099);
    byte[] padded = Arrays.copyOf(unaligned, 4112);
    Arrays.fill(padded, 4099, 4112, (byte) 13);

    assertArrayEquals(aligned, decrypt(v1Member(aligned)));
    assertArrayEquals(unaligned, decrypt(v1Member(padded)));
  }

  /** What securetar up to 2024.11 wrote: a salt, then AES-CBC of blocks it padded itself. */
  private static byte[] v1Member(byte[] blocks) throws Exception {
    byte[] key = Keys.passwordToKey(PASSWORD.value());
    byte[] salt = Keys.random(16);
    var cipher =
        Keys.aesCbc(javax.crypto.Cipher.ENCRYPT_MODE, key, Keys.cbcIv(key, salt), "NoPadding");
    var member = new ByteArrayOutputStream();
    member.write(salt);
    member.write(cipher.doFinal(blocks));
    return member.toByteArray();
  }

  /** Random bytes that start like a gzip stream, as every real part does (v2 checks that). */
  static byte[] partLike(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    byte[] gzipMagic = {0x1f, (byte) 0x8b, 0x08};
    System.arraycopy(gzipMagic, 0, data, 0, Math.min(size, gzipMagic.length));
    return data;
  }

  /** Encrypts in uneven slices (and one single byte), then patches the size as callers do. */
  static byte[] encrypt(SecureTar.Writer writer, byte[] plain) throws IOException {
    var sink = new ByteArrayOutputStream();
    var out = writer.encrypt(sink);
    try (out) {
      int off = 0;
      if (plain.length > 0) {
        out.write(plain[0]);
        off = 1;
      }
      for (int slice = 7; off < plain.length; slice = slice * 3 % 100_003 + 1) {
        int n = Math.min(slice, plain.length - off);
        out.write(plain, off, n);
        off += n;
      }
    }
    long size = out.plaintextSize();
    assertEquals(plain.length, size);
    byte[] member = sink.toByteArray();
    patchSize(member, size);
    return member;
  }

  static void patchSize(byte[] member, long size) {
    ByteBuffer.wrap(member).putLong(SecureTar.PLAINTEXT_SIZE_OFFSET, size);
  }

  private static byte[] decrypt(byte[] member) throws IOException {
    try (InputStream in = reader.decrypt(new ByteArrayInputStream(member), member.length, WHAT)) {
      return in.readAllBytes();
    }
  }
}
