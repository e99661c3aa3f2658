package io.haven.location;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not a test: bench/offsite.sh runs this under -Xmx64m to print, per loopback server, the MB/s of
 * a resumable copy of a large file and of reading it back, and the JVM's peak heap.
 */
public final class OffsiteBench {
  private OffsiteBench() {}

  public static void main(String[] args) throws Exception {
    long mb = args.length > 0 ? Long.parseLong(args[0]) : 1024;
    Path dir = Files.createTempDirectory("haven-bench");
    Path file = dir.resolve("bench.tar");
    try (OutputStream out = Files.newOutputStream(file)) {
      TestData.write(out, mb * 1024 * 1024, 1);
    }
    System.out.println("| server | MB | upload MB/s | read-back MB/s | peak heap MB |");
    System.out.println("|---|---|---|---|---|");
    try (LoopbackServers.Server sftp = LoopbackServers.sftp()) {
      run("OpenSSH SFTP", sftp.spec("sftp", "bench"), file, dir);
    }
    try (LoopbackServers.Server s3 = LoopbackServers.s3()) {
      run("s3proxy (S3)", s3.spec("s3", "bench"), file, dir);
    }
    Files.delete(file);
  }

  private static void run(String label, LocationSpec spec, Path file, Path dir)
      throws IOException {
    long size = Files.size(file);
    ResumeRecords records = ResumeRecords.in(dir.resolve("resume.json"));
    ResumableSource source = new ResumableSource() {
      @Override
      public long size() {
        return size;
      }

      @Override
      public String fingerprint() {
        return "bench";
      }

      @Override
      public InputStream openAt(long offset) throws IOException {
        InputStream in = Files.newInputStream(file);
        in.skipNBytes(offset);
        return in;
      }
    };
    resetPeaks();
    try (Location location = new RetryingLocation(Locations.open(spec))) {
      long t0 = System.nanoTime();
      location.write("bench.tar", source, records);
      long t1 = System.nanoTime();
      location.read("bench.tar", TestData::digest);
      long t2 = System.nanoTime();
      System.out.printf("| %s | %d | %.1f | %.1f | %.1f |%n", label, size >> 20,
          mbPerSecond(size, t1 - t0), mbPerSecond(size, t2 - t1), peakHeapMb());
      location.delete("bench.tar");
    }
  }

  private static double mbPerSecond(long bytes, long nanos) {
    return bytes / 1048576.0 / (nanos / 1e9);
  }

  private static void resetPeaks() {
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  // The sum of the heap pools' peaks since the last reset: an upper bound on the peak heap.
  private static double peakHeapMb() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed()).sum() / 1048576.0;
  }
}
