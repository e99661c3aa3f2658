package io.haven.restic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.haven.archive.ArchiveException;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys, config, index, trees and the chunker, checked against a repository restic made. */
class ResticFormatTest {
  @TempDir Path dir;

  @Test
  void opensRepositoryResticMadeAndChunksAsResticDoes() throws Exception {
    Path repoDir = dir.resolve("repo");
    Restic restic = new Restic(repoDir, dir);
    restic.run("init", "--repository-version", "2");
    Path src = Files.createDirectories(dir.resolve("src"));
    // 16 MB: a cut is certain at 8 MiB, and the chance of fewer than three is about e^-14.
    byte[] big = new byte[16_000_000];
    new Random(20).nextBytes(big);
    Files.write(src.resolve("big"), big);
    restic.run("backup", src.toString());

    try (Repository repo = Repository.open(new FileStorage(repoDir), Restic.PASSWORD, dir)) {
      StoredSnapshot snap = repo.snapshots().get(0);
      // restic keeps the absolute path: walk down to the file.
      Node file = repo.readTree(snap.snapshot().treeId()).nodes().get(0);
      while (file.subtree() != null) {
        file = repo.readTree(Id.parse(file.subtree())).nodes().get(0);
      }
      assertEquals("big", file.name());

      List<String> ours = new ArrayList<>();
      Chunker chunker = new Chunker(repo.config().polynomial()).start(new ByteArrayInputStream(big));
      byte[] chunk = new byte[Chunker.MAX];
      for (int n; (n = chunker.next(chunk)) > 0; ) {
        ours.add(Id.hash(chunk, 0, n).toString());
      }
      assertTrue(ours.size() > 2, "16 MB of noise is cut where its content says: " + ours.size());
      assertEquals(file.content(), ours);
      for (Id blob : file.contentIds()) {
        repo.readBlob(blob, BlobType.DATA);
      }
    }
  }

  @Test
  void wrongPasswordIsReportedNotCorrupt() throws Exception {
    Path repoDir = dir.resolve("repo");
    new Restic(repoDir, dir).run("init", "--repository-version", "2");
    var e = assertThrows(ArchiveException.WrongPassword.class,
        () -> Repository.open(new FileStorage(repoDir), "not it", dir));
    assertEquals(11, e.exitCode());
  }

  @Test
  void polynomialsResticChoseAreIrreducible() {
    assertTrue(Polynomial.irreducible(0x2d57a7681490b1L));
    assertTrue(Polynomial.irreducible(0x25b468838dcb75L));
    assertTrue(!Polynomial.irreducible(0x25b468838dcb74L));
  }
}
