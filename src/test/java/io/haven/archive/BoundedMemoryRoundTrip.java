package io.haven.archive;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Run by {@link BoundedMemoryTest} in its own JVM with a small heap: writes a backup whose one part
 * holds a {@link #SIZE}-byte file (zeros, generated as they are written), zstd-compressed and
 * SecureTar v3-encrypted, then reads it back, checks every byte and the part's checksum. Prints
 * {@code ok <bytes> <peak heap bytes>} and exits 0, or throws (a non-zero exit).
 */
final class BoundedMemoryRoundTrip {
  /** More than 2 GiB, so no int-sized buffer or counter could hold the part. */
  static final long SIZE = 2L * 1024 * 1024 * 1024 + 4096 + 7;

  private static final Part PART = Part.folder("share");
  private static final Secret.Password PASSWORD = new Secret.Password("bounded memory");

  private BoundedMemoryRoundTrip() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    write(file);
    long read = readBack(file);
    System.out.println("ok " + read + " " + peakHeap() + " " + Files.size(file));
  }

  private static void write(Path file) throws IOException {
    var options = new BackupWriter.Options(Compression.ZSTD,
        Optional.of(SecureTar.writer(SecureTar.Version.V3, PASSWORD)), 2);
    Instant now = Instant.parse("2026-01-02T03:04:05Z");
    try (BackupWriter writer = BackupWriter.create(file, options, now)) {
      try (PartOutput out = writer.beginPart(PART)) {
        TarArchiveEntry e = new TarArchiveEntry("big.bin");
        e.setSize(SIZE);
        out.tar().putArchiveEntry(e);
        byte[] zeros = new byte[256 * 1024];
        for (long left = SIZE; left > 0; left -= zeros.length) {
          out.tar().write(zeros, 0, (int) Math.min(zeros.length, left));
        }
        out.tar().closeArchiveEntry();
      }
      writer.finish(new BackupMetadata("b0b0b0b0", "bounded", "2026-01-02T03:04:05+00:00",
          BackupMetadata.Type.PARTIAL, true, true, Optional.empty(), List.of("share"), List.of(),
          List.of(), null, null, null), "test", JsonNodeFactory.instance.objectNode());
    }
  }

  private static long readBack(Path file) throws IOException {
    try (BackupArchive archive = BackupArchive.open(file);
        PartInput in = archive.openPart(PART, Optional.of(PASSWORD))) {
      TarArchiveEntry e = in.nextEntry().orElseThrow(() -> new IOException("no entry"));
      if (e.getSize() != SIZE) {
        throw new IOException("entry size " + e.getSize() + " != " + SIZE);
      }
      long read = countZeros(in.content());
      if (in.nextEntry().isPresent()) {
        throw new IOException("a second entry");
      }
      in.finish(); // checks the tar stream's length and SHA-256 against backup.json
      return read;
    }
  }

  private static long countZeros(InputStream content) throws IOException {
    byte[] buf = new byte[256 * 1024];
    long read = 0;
    for (int n; (n = content.read(buf)) >= 0; read += n) {
      for (int i = 0; i < n; i++) {
        if (buf[i] != 0) {
          throw new IOException("byte " + (read + i) + " is " + buf[i] + ", not 0");
        }
      }
    }
    return read;
  }

  private static long peakHeap() {
    long peak = 0;
    List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
    for (MemoryPoolMXBean p : pools) {
      if (p.getType() == MemoryType.HEAP) {
        peak += p.getPeakUsage().getUsed();
      }
    }
    return peak;
  }
}
