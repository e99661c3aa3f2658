package io.haven.restore;

import io.haven.device.Disk;
import io.haven.failure.Sizes;
import io.haven.tree.DataRoot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.UUID;

/**
 * How fast the target can take restored files, and how that was found out: a short timed write
 * with fsync on the target file system ({@link #probe}), or a conservative rate for the disk's
 * kind ({@link #assumed}). The basis is always stated next to any estimate made from it.
 */
public record WriteRate(double bytesPerSecond, String basis) {
  /** A probe's file name starts with this; one a kill left behind is removed at the next start. */
  static final String PROBE_PREFIX = DataRoot.RESERVED_PREFIX + "write-probe-";
  private static final int CHUNK = 1024 * 1024;

  public WriteRate {
    if (!(bytesPerSecond > 0) || basis == null || basis.isBlank()) {
      throw new IllegalArgumentException("a write rate needs a rate above 0 and a basis");
    }
  }

  /**
   * Sustained small-file write rates well below what the parts are sold with: restores write many
   * small files through a journal, and SD cards and eMMC slow down once their cache is full.
   */
  public static WriteRate assumed(Disk.Kind kind) {
    switch (kind) {
      case NVME:
        return assumed(200, "an NVMe disk");
      case SATA:
        return assumed(80, "a SATA disk");
      case VIRTIO:
        return assumed(80, "a virtual disk");
      case EMMC:
        return assumed(30, "eMMC");
      case USB:
        return assumed(20, "a USB disk");
      default:
        return assumed(8, "an SD card or an unknown disk"); // assume the slow end
    }
  }

  private static WriteRate assumed(double mb, String disk) {
    return new WriteRate(mb * 1e6, "assumed for " + disk + ", not measured");
  }

  /**
   * Writes {@code bytes} (whole MiB) into a temporary file in {@code dir}, forces them to the
   * disk, and times it. The file is unlinked as soon as it is open, so it has a name for only an
   * instant. Only as exact as one short write can be: a device's cache may make it look faster
   * than a long restore.
   */
  public static WriteRate probe(Path dir, long bytes) throws IOException {
    Path file = dir.resolve(PROBE_PREFIX + UUID.randomUUID());
    ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
    // Incompressible-ish content, so a compressing file system does not flatter the result.
    for (int i = 0; i < CHUNK; i += 8) {
      chunk.putLong(i, i * 0x9E3779B97F4A7C15L);
    }
    long chunks = Math.max(1, bytes / CHUNK);
    long started = System.nanoTime();
    // On Linux DELETE_ON_CLOSE unlinks right after the open; deleteIfExists covers the rest.
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE)) {
      for (long i = 0; i < chunks; i++) {
        chunk.clear();
        while (chunk.hasRemaining()) {
          ch.write(chunk);
        }
      }
      ch.force(true);
    } finally {
      Files.deleteIfExists(file);
    }
    double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
    long written = chunks * CHUNK;
    return new WriteRate(written / seconds, String.format(Locale.ROOT,
        "measured: wrote %s with fsync to %s in %.2f s", Sizes.human(written), dir, seconds));
  }

  /** "about 4 min", "under a minute", "about 1 h 5 min" for {@code bytes} at this rate. */
  public String duration(long bytes) {
    long seconds = (long) Math.ceil(bytes / bytesPerSecond);
    if (seconds < 60) {
      return "under a minute";
    }
    long minutes = (seconds + 59) / 60;
    if (minutes < 60) {
      return "about " + minutes + " min";
    }
    return "about " + minutes / 60 + " h " + minutes % 60 + " min";
  }
}
