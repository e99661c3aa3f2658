package io.haven.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
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
  private static final int COPY_BUFFER = 256 * 1024;

  private Exporter() {}

  /**
   * Writes {@code source} to {@code target} (which must not exist) in the form {@code options}
   * names. {@code secret} opens the source; {@code newSecret} opens the output for the check that
   * follows the write (empty when the output is not encrypted). Returns the metadata written.
   * A wrong source password fails with {@link ArchiveException.WrongPassword} and keeps nothing;
   * parts the source's backup.json does not name (supervisor.tar.gz) are not copied.
   */
  public static BackupMetadata export(BackupArchive source, Optional<Secret> secret, Path target,
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
            meta.haven().map(HavenFacts::source).orElse(null));
      }
      checkWritten(temp, target, newSecret);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return written;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void copyPart(BackupArchive source, Part part, Optional<Secret> secret,
      BackupWriter writer) throws IOException {
    try (PartInput in = source.openPart(part, secret);
        PartOutput out = writer.beginPart(part)) {
      Copying copying = new Copying(in.tarStream(), out);
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

  /** Every byte read through it (skipped ones too) is written to {@code out}. */
  private static final class Copying extends FilterInputStream {
    private final OutputStream out;
    private final byte[] skipBuffer = new byte[COPY_BUFFER];

    Copying(InputStream in, OutputStream out) {
      super(in);
      this.out = out;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        out.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        out.write(b, off, n);
      }
      return n;
    }

    // A skip must still copy what it passes over.
    @Override
    public long skip(long n) throws IOException {
      int r = read(skipBuffer, 0, (int) Math.min(n, skipBuffer.length));
      return Math.max(r, 0);
    }

    /** Copies what the tar reader left: end-of-archive blocks and record padding. */
    void drain() throws IOException {
      while (read(skipBuffer, 0, skipBuffer.length) >= 0) {
        // copied by read
      }
    }

    @Override
    public void close() {
      // the part's stream is closed by its owner
    }

    @Override
    public String toString() {
      return "Copying(" + in + ")";
    }
  }
}
