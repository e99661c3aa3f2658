package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.failure.ExitCode;
import io.haven.testing.Damage;
import io.haven.testing.GenData;
import io.haven.testing.TreeSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code haven backups restore SLUG --from NAME} for a {@code file://} location (a local disk or
 * a mounted share): the archive is read where it lies, so the second machine's backup directory
 * gets no copy, and a damaged archive there is refused before the data root changes.
 */
class RestoreInPlaceTest {
  @TempDir Path tmp;
  Path usb;
  Path first;
  Path second;
  String slug;
  Map<String, String> backedUp;

  /** A backup made on a first machine and copied to the directory location "usb". */
  @BeforeEach
  void backupOnUsb() throws Exception {
    usb = tmp.resolve("usb");
    first = config(tmp.resolve("first"));
    Cli.run(first, "locations", "add", "usb", usb.toUri().toString()).ok();
    Path root = GenData.copyTo(tmp.resolve("first").resolve("root"), 4);
    backedUp = TreeSnapshot.of(root, OffsiteCommandTest.NOT_BACKED_UP);
    Cli.Run made = Cli.run(first, "backups", "new", "--name", "to usb", "-l", "usb").ok();
    slug = made.out().trim();
    assertTrue(made.err().contains("copied to usb: " + slug + ".tar"), made.err());
    second = config(tmp.resolve("second"));
  }

  @Test
  void restoreFromADirectoryLocationReadsInPlaceAndRestoresExactly() throws Exception {
    Cli.run(second, "backups", "restore", slug, "--from", "usb").ok();

    TreeSnapshot.assertSame(backedUp, TreeSnapshot.of(tmp.resolve("second").resolve("root"),
        OffsiteCommandTest.NOT_BACKED_UP), "restored tree");
    assertEquals(List.of(), archivesIn(tmp.resolve("second").resolve("backup")),
        "no copy, finished or temporary, in the backup directory");
    assertEquals(List.of(slug + ".tar"), archivesIn(usb), "the location keeps its copy");
  }

  @Test
  void damagedArchiveAtTheLocationIsRefusedAndTheDataRootStaysAsItWas() throws Exception {
    Path root = tmp.resolve("second").resolve("root");
    Files.createDirectories(root.resolve("share"));
    Files.writeString(root.resolve("share").resolve("kept.txt"), "the second machine's own\n");
    Map<String, String> before = TreeSnapshot.of(root);
    flipAByteInsideTheLargestPart(usb.resolve(slug + ".tar"));

    Cli.Run refused = Cli.run(second, "backups", "restore", slug, "--from", "usb");

    assertEquals(ExitCode.CORRUPT, refused.code(), refused.err());
    assertTrue(refused.err().contains("the archive is damaged"), refused.err());
    TreeSnapshot.assertSame(before, TreeSnapshot.of(root), "data root after the refusal");
    assertEquals(List.of(), archivesIn(tmp.resolve("second").resolve("backup")),
        "no copy in the backup directory");
  }

  private Path config(Path dir) throws Exception {
    Files.createDirectories(dir);
    Path config = dir.resolve("haven.yaml");
    Files.writeString(config, "data_root: " + dir.resolve("root") + "\nbackup_dir: "
        + dir.resolve("backup") + "\nlocations_file: " + tmp.resolve("locations.yaml")
        + "\ncompression_workers: 1\n");
    return config;
  }

  /** Archives and temporaries of archives in {@code dir}, sorted; other bookkeeping is left out. */
  private static List<String> archivesIn(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".tar") || n.contains("tmp")).sorted().toList();
    }
  }

  // In the middle of a part's bytes, not in the outer tar's headers or padding, so only a check
  // of the part's content can find it.
  private static void flipAByteInsideTheLargestPart(Path archive) throws Exception {
    long at;
    try (TarFile tar = new TarFile(archive)) {
      TarArchiveEntry part = tar.getEntries().stream()
          .max(Comparator.comparingLong(TarArchiveEntry::getSize)).orElseThrow();
      at = part.getDataOffset() + part.getSize() / 2;
    }
    Damage.flipByte(archive, at);
  }
}
