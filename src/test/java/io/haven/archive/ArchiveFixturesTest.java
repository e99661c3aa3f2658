package io.haven.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every fixture gives, through the whole reader, the outcome its README states. */
class ArchiveFixturesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "backup_example_enc.tar, test, 93b462f8, V2",
    "test_consolidate.tar, test, d9c48f8b, V2",
    "backup_example_sec_v3.tar, supervisor, f92f0339, V3",
  })
  void protectedBackupsVerifyWithTheirPassword(String file, String password, String slug,
      SecureTar.Version version) throws Exception {
    try (BackupArchive a = BackupArchive.open(Fixtures.path(file))) {
      assertEquals(slug, a.metadata().orElseThrow().slug());
      assertTrue(a.metadata().get().isProtected());
      Verifier.Report r = Verifier.verify(a, Optional.of(new Secret.Password(password)));
      assertTrue(r.intact(), r.toString());
      assertTrue(r.parts().stream().allMatch(p -> p.encryption().equals(Optional.of(version))));
      assertTrue(r.parts().stream().allMatch(p -> p.entries() > 0));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"backup_example_enc.tar", "test_consolidate.tar", "backup_example_sec_v3.tar"})
  void wrongPasswordIsRefusedNotCalledCorrupt(String file) throws Exception {
    try (BackupArchive a = BackupArchive.open(Fixtures.path(file))) {
      ArchiveException e = assertThrows(ArchiveException.WrongPassword.class,
          () -> Verifier.verify(a, Optional.of(new Secret.Password("not it"))));
      assertTrue(e.getMessage().contains("backup '" + a.metadata().get().slug() + "'"),
          e.getMessage());
    }
  }

  @Test
  void protectedBackupWithoutPasswordAsksForOne() throws Exception {
    try (BackupArchive a = BackupArchive.open(Fixtures.path("backup_example_sec_v3.tar"))) {
      ArchiveException e = assertThrows(ArchiveException.PasswordRequired.class,
          () -> Verifier.verify(a, Optional.empty()));
      assertEquals("backup 'f92f0339', part 'a0d7b954_example' is protected: give its password"
          + " (--password) and try again", e.getMessage());
    }
  }

  @Test
  void legacyV1PartsReadWithTheRawKey() throws Exception {
    try (BackupArchive a = BackupArchive.open(
        Fixtures.path("backup_encrypted_gzipped_legacy_format.tar"))) {
      assertTrue(a.metadata().isEmpty());
      assertEquals(3, a.parts().size());
      Verifier.Report r = Verifier.verify(a, Optional.of(new Secret.RawKey(
          "0123456789abcdef".getBytes(StandardCharsets.US_ASCII))));
      assertTrue(r.intact(), r.toString());
      assertTrue(r.parts().stream()
          .allMatch(p -> p.encryption().equals(Optional.of(SecureTar.Version.V1))));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "backup_empty.tar, truncated",
    "backup_truncated.tar, authentication failed",
    "backup_no_final_tag.tar, stream not finished (no FINAL tag)",
    "backup_early_final_tag.tar, data after the end (early FINAL tag)",
  })
  void brokenV3PartsAreRefusedForTheirReason(String file, String reason) throws Exception {
    try (BackupArchive a = BackupArchive.open(Fixtures.path(file))) {
      List<Part> parts = a.parts();
      assertEquals(1, parts.size());
      Verifier.Report r = Verifier.verify(a, Optional.of(new Secret.Password("hunter2")));
      ArchiveException e = r.firstProblem().orElseThrow();
      assertTrue(e instanceof ArchiveException.Corrupt, e.toString());
      assertTrue(e.getMessage().contains(reason), e.getMessage());
      assertTrue(e.getMessage().contains("archive '" + file + "'"), e.getMessage());
    }
  }

  @Test
  void notATarIsRefusedClearly() throws Exception {
    java.nio.file.Path f = java.nio.file.Files.createTempFile("haven", ".tar");
    java.nio.file.Files.write(f, new byte[4096]);
    try {
      ArchiveException e = assertThrows(ArchiveException.Corrupt.class, () -> {
        try (BackupArchive a = BackupArchive.open(f)) {
          a.parts();
          if (a.metadata().isEmpty() && a.parts().isEmpty()) {
            throw new ArchiveException.Corrupt("'" + f.getFileName() + "' holds no backup");
          }
        }
      });
      assertTrue(e.getMessage().contains(f.getFileName().toString()), e.getMessage());
    } finally {
      java.nio.file.Files.delete(f);
    }
  }
}
