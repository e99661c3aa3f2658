package io.haven.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Home Assistant's own encrypted archives open, and its broken ones fail for the right reason. */
class SecureTarFixturesTest {
  private static final String V3_WHAT = "backup 'f92f0339', part 'a0d7b954_example'";

  @ParameterizedTest
  @CsvSource({"backup_example_enc.tar, ssl.tar.gz", "test_consolidate.tar, ssl.tar.gz"})
  void v2PartsDecryptToGzippedTars(String fixture, String member) throws IOException {
    var reader = SecureTar.reader(new Secret.Password("test"));
    byte[] gzip = Fixtures.decrypt(fixture, member, reader, "part 'ssl'");

    assertEquals(199, gzip.length);
    List<String> entries = Fixtures.gzippedTarEntries(gzip);
    assertTrue(entries.contains("./"), "entries: " + entries);
  }

  @ParameterizedTest
  @CsvSource({"backup_example_enc.tar, ssl.tar.gz", "test_consolidate.tar, ssl.tar.gz"})
  void v2WrongPasswordIsReportedNotCorrupt(String fixture, String member) {
    var reader = SecureTar.reader(new Secret.Password("wrong"));

    var e =
        assertThrows(
            ArchiveException.WrongPassword.class,
            () -> Fixtures.decrypt(fixture, member, reader, "backup 'x', part 'ssl'"));
    assertEquals(
        "Wrong password for backup 'x', part 'ssl' (SecureTar v2). Check the password; the"
            + " backup is unchanged.",
        e.getMessage());
  }

  @Test
  void v3PartDecryptsToTheAddonTar() throws IOException {
    var reader = SecureTar.reader(new Secret.Password("supervisor"));
    byte[] gzip =
        Fixtures.decrypt("backup_example_sec_v3.tar", "a0d7b954_example.tar.gz", reader, V3_WHAT);

    assertEquals(1295, gzip.length);
    assertTrue(Fixtures.gzippedTarEntries(gzip).contains("./addon.json"));
  }

  @Test
  void v3WrongPasswordIsRefusedExactly() {
    var reader = SecureTar.reader(new Secret.Password("Supervisor"));

    var e =
        assertThrows(
            ArchiveException.WrongPassword.class,
            () ->
                Fixtures.decrypt(
                    "backup_example_sec_v3.tar", "a0d7b954_example.tar.gz", reader, V3_WHAT));
    assertEquals(
        "Wrong password for backup 'f92f0339', part 'a0d7b954_example' (SecureTar v3). Check the"
            + " password; the backup is unchanged.",
        e.getMessage());
  }

  @Test
  void v3RawKeyAsksForThePassword() {
    var reader = SecureTar.reader(new Secret.RawKey(new byte[16]));

    assertThrows(
        ArchiveException.PasswordRequired.class,
        () ->
            Fixtures.decrypt(
                "backup_example_sec_v3.tar", "a0d7b954_example.tar.gz", reader, V3_WHAT));
  }

  @ParameterizedTest
  @CsvSource({"core.tar.gz", "core2.tar.gz", "core3.tar.gz"})
  void v1PartsOpenWithTheRawKeyThroughTheTolerantGzipReader(String member) throws IOException {
    var key = new Secret.RawKey("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    String what = "part '" + member + "'";
    byte[] gzip =
        Fixtures.decrypt(
            "backup_encrypted_gzipped_legacy_format.tar", member, SecureTar.reader(key), what);

    byte[] tar;
    try (var in = Gzip.tolerantInput(new ByteArrayInputStream(gzip), what)) {
      tar = in.readAllBytes(); // to the end, so the trailer's CRC32 and length are checked
    }
    assertEquals(10240, tar.length);
    assertTrue(Fixtures.tarEntries(new ByteArrayInputStream(tar)).size() > 0);
    // The strict JDK reader refuses these parts: the padding sits inside the gzip trailer.
    assertThrows(
        ZipException.class,
        () -> new GZIPInputStream(new ByteArrayInputStream(gzip)).readAllBytes());
  }

  @Test
  void v1WrongKeyIsReportedNotCorrupt() {
    var key = new Secret.RawKey("0123456789abcdeF".getBytes(StandardCharsets.US_ASCII));

    assertThrows(
        ArchiveException.WrongPassword.class,
        () ->
            Fixtures.decrypt(
                "backup_encrypted_gzipped_legacy_format.tar",
                "core.tar.gz",
                SecureTar.reader(key),
                "part 'core'"));
  }

  @ParameterizedTest
  @CsvSource({
    "backup_empty.tar, core_empty.tar.gz, truncated",
    "backup_truncated.tar, core_truncated.tar.gz, authentication failed",
    "backup_no_final_tag.tar, core_no_final_tag.tar.gz, stream not finished (no FINAL tag)",
    "backup_early_final_tag.tar, core_early_final_tag.tar.gz, data after the end (early FINAL tag)"
  })
  void damagedV3PartsFailWithTheReason(String fixture, String member, String reason) {
    var reader = SecureTar.reader(new Secret.Password("hunter2"));
    String what = "backup 'st', part '" + member + "'";

    var e =
        assertThrows(
            ArchiveException.Corrupt.class, () -> Fixtures.decrypt(fixture, member, reader, what));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertTrue(e.getMessage().contains(what), e.getMessage());
    assertTrue(e.getMessage().endsWith("the archive is damaged; use another copy."), e.getMessage());
  }
}
