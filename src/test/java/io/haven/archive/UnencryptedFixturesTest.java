package io.haven.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;

class UnencryptedFixturesTest {

  @Test
  void readsSupervisorAddonBackup() throws Exception {
    try (BackupArchive a = BackupArchive.open(Fixtures.path("backup_example.tar"))) {
      BackupMetadata m = a.metadata().orElseThrow();
      assertEquals("7fed74c8", m.slug());
      assertEquals(BackupMetadata.Type.PARTIAL, m.type());
      assertFalse(m.isProtected());
      assertEquals(List.of(Part.addon("a0d7b954_example")), a.parts());
      assertTrue(m.unknown().has("docker"), "unknown keys are kept");
      Verifier.Report r = Verifier.verify(a, Optional.empty());
      assertTrue(r.intact(), r.toString());
      assertEquals(Compression.GZIP, r.parts().get(0).compression());
      assertEquals(List.of("./", "./addon.json", "data/"), names(a, Part.addon("a0d7b954_example")));
    }
  }

  @Test
  void readsGnuOuterTarWithMetadataFirstAndRepeatedKey() throws Exception {
    try (BackupArchive a = BackupArchive.open(Fixtures.path("test_consolidate_unc.tar"))) {
      BackupMetadata m = a.metadata().orElseThrow();
      assertEquals("d9c48f8b", m.slug());
      assertEquals(List.of(Part.folder("ssl")), a.parts());
      assertTrue(Verifier.verify(a, Optional.empty()).intact());
    }
  }

  @Test
  void readsBareAddonArchives() throws Exception {
    for (String f : List.of("backup_local_ssh_running.tar.gz", "backup_local_ssh_stopped.tar.gz")) {
      try (InputStream in = Files.newInputStream(Fixtures.path(f));
          PartInput p = PartInput.bare(Part.addon("local_ssh"), f, in)) {
        List<String> names = new ArrayList<>();
        for (var e = p.nextEntry(); e.isPresent(); e = p.nextEntry()) {
          names.add(e.get().getName());
        }
        p.finish();
        assertTrue(names.contains("./addon.json"), names.toString());
        assertTrue(names.contains("./image.tar"), names.toString());
      }
    }
  }

  @Test
  void slugFollowsSupervisorRule() {
    assertEquals("9e346a5c", Slug.of("2025-02-21T03:53:34.002185+00:00", "Automatic backup 2025.2.4"));
  }

  static List<String> names(BackupArchive a, Part part) throws Exception {
    List<String> names = new ArrayList<>();
    try (PartInput in = a.openPart(part, Optional.empty())) {
      for (Optional<TarArchiveEntry> e = in.nextEntry(); e.isPresent(); e = in.nextEntry()) {
        names.add(e.get().getName());
      }
    }
    return names;
  }
}
