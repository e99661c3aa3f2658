package io.haven.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The gzip reader reads what gzip writes, tolerates v1 padding, and still checks the trailer. */
class TolerantGzipInputStreamTest {
  private static final String WHAT = "backup 'a1b2c3d4', part 'share'";

  @Test
  void readsOrdinaryGzip() throws IOException {
    byte[] data = sample(300_000);

    assertArrayEquals(data, read(gzip(data)));
  }

  @Test
  void readsConcatenatedMembers() throws IOException {
    byte[] a = sample(70_000);
    byte[] b = sample(5);

    assertArrayEquals(concat(a, b), read(concat(gzip(a), gzip(b))));
  }

  @Test
  void skipsOptionalHeaderFields() throws IOException {
    byte[] data = sample(1000);
    byte[] plain = gzip(data);
    var withFields = new ByteArrayOutputStream();
    withFields.write(plain, 0, 3);
    withFields.write(0x02 | 0x04 | 0x08 | 0x10); // FHCRC, FEXTRA, FNAME, FCOMMENT
    withFields.write(plain, 4, 6);
    withFields.write(new byte[] {3, 0, 'x', 'y', 'z'});
    withFields.write("share.tar\0a comment\0".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    withFields.write(new byte[] {0x12, 0x34});
    withFields.write(plain, 10, plain.length - 10);

    assertArrayEquals(data, read(withFields.toByteArray()));
  }

  @Test
  void findsTheTrailerAmongV1Padding() throws IOException {
    byte[] data = sample(10_240);
    byte[] plain = gzip(data);
    int trailer = plain.length - 8;
    byte[] padded =
        concat(
            Arrays.copyOf(plain, trailer),
            padding(10),
            Arrays.copyOfRange(plain, trailer, trailer + 4),
            padding(12),
            Arrays.copyOfRange(plain, trailer + 4, trailer + 8),
            padding(12));

    assertArrayEquals(data, read(padded));
  }

  @Test
  void aWrongCrcIsCorruptEvenAmongPadding() throws IOException {
    byte[] plain = gzip(sample(1000));
    int trailer = plain.length - 8;
    long crc = le32(plain, trailer);
    plain[trailer] ^= 0x01;

    var e = assertThrows(ArchiveException.Corrupt.class, () -> read(plain));
    assertEquals(
        String.format(
            "Cannot read %s (gzip): CRC32 mismatch: expected 0x%08x, found 0x%08x; the archive is"
                + " damaged; use another copy.",
            WHAT, crc, crc ^ 0x01),
        e.getMessage());
  }

  @Test
  void aWrongLengthIsCorrupt() {
    byte[] plain = gzip(sample(1000));
    plain[plain.length - 1] ^= 0x40;

    var e = assertThrows(ArchiveException.Corrupt.class, () -> read(plain));
    assertTrue(e.getMessage().contains("length mismatch"), e.getMessage());
  }

  @Test
  void aCutStreamIsCorrupt() {
    byte[] plain = gzip(sample(100_000));

    var e =
        assertThrows(
            ArchiveException.Corrupt.class, () -> read(Arrays.copyOf(plain, plain.length / 2)));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void somethingElseIsNotGzip() {
    var e =
        assertThrows(
            ArchiveException.Corrupt.class, () -> read("ustar and more".getBytes()));
    assertTrue(e.getMessage().contains("not gzip"), e.getMessage());
  }

  private static byte[] read(byte[] gzip) throws IOException {
    try (InputStream in = Gzip.tolerantInput(new ByteArrayInputStream(gzip), WHAT)) {
      return in.readAllBytes();
    }
  }

  /** Compressible but not trivial: random words. */
  private static byte[] sample(int size) {
    var random = new Random(size);
    byte[] data = new byte[size];
    for (int i = 0; i < size; i++) {
      data[i] = (byte) ('a' + random.nextInt(random.nextInt(26) + 1));
    }
    return data;
  }

  private static byte[] gzip(byte[] data) {
    var out = new ByteArrayOutputStream();
    try (var gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  private static byte[] padding(int n) {
    byte[] pad = new byte[n];
    Arrays.fill(pad, (byte) n);
    return pad;
  }

  private static long le32(byte[] b, int at) {
    return (b[at] & 0xffL)
        | (b[at + 1] & 0xffL) << 8
        | (b[at + 2] & 0xffL) << 16
        | (b[at + 3] & 0xffL) << 24;
  }

  private static byte[] concat(byte[]... parts) {
    var out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
