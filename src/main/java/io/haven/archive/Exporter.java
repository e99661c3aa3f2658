package io.haven.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Rewrites a backup into another form (compression, encryption, password), part by part and
 * streaming: each part is decrypted and decompressed, and its tar bytes are written unchanged
 * into the new part, so nothing is unpacked to disk and Haven's per-part SHA-256 stays valid.
 * The output is written under a temporary name beside {@code target}, read back and verified,
 * and only then renamed to {@code target}; a failure leaves nothing behind.
 */
public final class Exporter {
  private Exporter() {}

  /**
   * Writes {@code source} to {@code target} (which must not exist) in the form {@code options}
   * names. {@code secret} opens the source; {@code newSecret} opens the output for the check that
   * follows the write (empty when the output is not encrypted). Returns the metadata written.
   * A wrong source password fails with {@link ArchiveException.WrongPassword} and keeps nothing;
   * parts the source's backup.json does not name (supervisor.tar.gz) are not copied.
   */
  public static BackupMetadata export(BackupSource source, Optional<Secret> secret, Path target,
      BackupWriter.Options options, Optional<Secret> newSecret, String havenVersion, Instant now)
      throws IOException {
    BackupMetadata meta = source.metadata().orElseThrow(() -> new ArchiveException.Unsupported(
        source.describe() + " has no backup.json, so it is not a Home Assistant backup that can"
            + " be exported; open its parts with 'haven ls' instead"));
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), null,
          "the export target exists; choose another name or remove it");
    }
    Path temp = target.resolveSibling("." + target.getFileName() + ".haven-tmp-"
        + UUID.randomUUID());
    try {
      BackupMetadata written;
      try (BackupWriter writer = BackupWriter.create(temp, options, now)) {
        for (Part part : source.parts()) {
          copyPart(source, part, secret, writer);
        }
        BackupMetadata form = meta.withForm(options.compression() != Compression.NONE,
            options.encryption().isPresent());
        written = writer.finish(form, havenVersion,
            meta.haven().map(HavenFacts::source).orElse(null),
            meta.haven().map(HavenFacts::excludes).orElse(List.of()));
      }
      checkWritten(temp, target, newSecret);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return written;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void copyPart(BackupSource source, Part part, Optional<Secret> secret,
      BackupWriter writer) throws IOException {
    try (PartInput in = source.openPart(part, secret);
        PartOutput out = writer.beginPart(part)) {
      CopyingInputStream copying = new CopyingInputStream(in.tarStream(), out);
      // A tar reader walks the copy, to count files and bytes for the new backup.json.
      TarArchiveInputStream tar =
          new TarArchiveInputStream(copying, StandardCharsets.UTF_8.name());
      long files = 0;
      long fileBytes = 0;
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (PartOutput.isRegularFile(e)) {
          files++;
          fileBytes += e.getSize();
        }
      }
      copying.drain();
      out.rawCounts(files, fileBytes);
      in.finish();
    }
  }

  // Reads the output back as a restore would, so an export that cannot be restored is never kept.
  private static void checkWritten(Path temp, Path target, Optional<Secret> newSecret)
      throws IOException {
    try (BackupArchive written = BackupArchive.open(temp)) {
      Verifier.Report report = Verifier.verify(written, newSecret);
      if (!report.intact()) {
        ArchiveException problem = report.firstProblem().get();
        throw new ArchiveException.Corrupt("the export to " + target + " did not read back"
            + " intact (" + problem.getMessage() + "); nothing was kept", problem);
      }
    }
  }
}
