package io.haven.store;

import io.haven.agent.Backups;
import io.haven.archive.Compression;
import io.haven.archive.SecureTar;
import io.haven.backup.BackupRequest;
import io.haven.config.Config;
import io.haven.location.ForwardingLocation;
import io.haven.location.IoConsumer;
import io.haven.location.IoFunction;
import io.haven.location.Location;
import io.haven.location.LocationSpec;
import io.haven.location.Locations;
import io.haven.location.LoopbackServers;
import io.haven.location.ResumableSource;
import io.haven.location.ResumeRecords;
import io.haven.location.RetryingLocation;
import io.haven.tree.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Not a test: bench/offsite.sh runs this under -Xmx64m. It makes one Haven backup (zstd) of a
 * data root once, then for each loopback server copies it as {@code haven backups copy SLUG --to
 * NAME} does ({@link OffsiteCopies#copy}: a resumable write to a temporary name, renamed, then read
 * back whole to compare SHA-256s) and downloads it as a restore from a location does
 * ({@link OffsiteCopies#download}: into the backup directory under a temporary name, checked, every
 * part read through, renamed). It prints a Markdown table of MB/s per phase and the peak heap.
 *
 * <p>Arguments: the data root, the backup directory (the backup is kept there for the next run),
 * and optionally the servers to use (default all): sftp, s3, webdav-apache, webdav-rclone, smb,
 * rclone.
 */
public final class OffsiteBench {
  private static final String FILE_NAME = "offsite-bench.tar";

  private OffsiteBench() {}

  /** Starts one loopback server. */
  private interface Start {
    LoopbackServers.Server start() throws Exception;
  }

  private static Map<String, Start> servers() {
    Map<String, Start> servers = new LinkedHashMap<>();
    servers.put("sftp", LoopbackServers::sftp);
    servers.put("s3", LoopbackServers::s3);
    servers.put("webdav-apache", LoopbackServers::webdavApache);
    servers.put("webdav-rclone", LoopbackServers::webdavRclone);
    servers.put("smb", LoopbackServers::smb);
    servers.put("rclone", LoopbackServers::rclone);
    return servers;
  }

  private static final Map<String, String> LABELS = Map.of(
      "sftp", "OpenSSH SFTP", "s3", "s3proxy (S3)", "webdav-apache", "Apache mod_dav (WebDAV)",
      "webdav-rclone", "rclone serve webdav (WebDAV)", "smb", "Samba smbd (SMB 3)",
      "rclone", "rclone, sftp remote (rclone serve sftp)");

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    Path backupDir = Path.of(args[1]);
    List<String> chosen = args.length > 2 ? List.of(args).subList(2, args.length)
        : new ArrayList<>(servers().keySet());
    String loadBefore = loadAverage();
    HeapWatch.start();
    StoredBackup backup = backupOf(root, backupDir);
    System.out.println("| Server | Archive MB | Upload MB/s | Verify read-back MB/s | Copy s"
        + " (upload + verify) | Download MB/s | Download s (with checks) | Peak heap MB"
        + " | Pool peaks MB |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (String name : chosen) {
      Start start = servers().get(name);
      if (start == null) {
        throw new IllegalArgumentException("unknown server " + name + "; known: "
            + servers().keySet());
      }
      System.out.println(row(LABELS.get(name), start, backup, backupDir));
    }
    System.out.println();
    System.out.println("Load average before: " + loadBefore + "; after: " + loadAverage()
        + ". Peak RSS of the bench JVM over the whole run (VmHWM, the servers are other"
        + " processes): " + peakRssMb() + " MB; -Xmx" + Runtime.getRuntime().maxMemory() / 1048576
        + "m.");
  }

  /** The cached backup in {@code backupDir}, or a new full zstd backup of {@code root}. */
  private static StoredBackup backupOf(Path root, Path backupDir) throws IOException {
    BackupStore store = new BackupStore(backupDir);
    Optional<StoredBackup> cached = store.list().backups().stream()
        .filter(b -> b.file().getFileName().toString().equals(FILE_NAME)).findFirst();
    if (cached.isPresent()) {
      return cached.get();
    }
    System.err.println("bench: making the backup of " + root + " in " + backupDir + " (once)");
    Backups backups = new Backups(new Config(root, backupDir, Compression.ZSTD, 2),
        Clock.systemUTC(), "bench");
    long t0 = System.nanoTime();
    String slug = backups.create(new BackupRequest("offsite bench", List.of(), Optional.empty(),
        Compression.ZSTD, SecureTar.Version.V3, false, Optional.of(FILE_NAME)), Progress.NONE)
        .metadata().slug();
    System.err.printf("bench: backup made in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    return backups.info(slug);
  }

  private static String row(String label, Start start, StoredBackup backup, Path backupDir) {
    Path work = null;
    try (LoopbackServers.Server server = start.start()) {
      work = Files.createTempDirectory(backupDir.getParent(), "run-");
      return "| " + label + measure(server.spec("bench", "bench"), backup, work);
    } catch (Exception | AssertionError e) {
      // A missing program aborts (or fails) like a test; the other servers still run.
      return "| " + label + " | " + (e.getMessage() + "").replace('|', '/').replace('\n', ' ')
          + " | | | | | | | |";
    } finally {
      deleteQuietly(work);
    }
  }

  // The columns after the label: one copy and one download, as the verbs do them.
  private static String measure(LocationSpec spec, StoredBackup backup,
      Path work) throws IOException {
    RemoteCatalog catalog = new RemoteCatalog(Files.createDirectory(work.resolve("catalog")));
    OffsiteCopies copies = new OffsiteCopies(new BackupStore(backup.file().getParent()), catalog);
    OffsiteCopies downloads = new OffsiteCopies(
        new BackupStore(Files.createDirectory(work.resolve("restore"))), catalog);
    long size = backup.size();
    resetPeaks();
    try (Timed location = new Timed(new RetryingLocation(Locations.open(spec)))) {
      long t0 = System.nanoTime();
      copies.copy(backup, spec.name(), location);
      long copyNanos = System.nanoTime() - t0;
      long uploadNanos = location.writeNanos;
      long verifyNanos = location.readNanos;
      location.readNanos = 0;
      long t1 = System.nanoTime();
      downloads.download(spec.name(), location, backup.slug(), Optional.empty());
      long downloadNanos = System.nanoTime() - t1;
      double heap = HeapWatch.peakMb();
      double pools = poolPeaksMb();
      location.delete(FILE_NAME);
      return String.format(" | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |",
          size / 1048576.0, mbPerSecond(size, uploadNanos), mbPerSecond(size, verifyNanos),
          copyNanos / 1e9, mbPerSecond(size, location.readNanos), downloadNanos / 1e9, heap,
          pools);
    }
  }

  /** Adds up the time spent in writes and reads, the callbacks' work included. */
  private static final class Timed extends ForwardingLocation {
    long writeNanos;
    long readNanos;

    Timed(Location delegate) {
      super(delegate);
    }

    // ForwardingLocation leaves this to Location's non-resumable default; pass it on instead.
    @Override
    public void write(String name, ResumableSource source, ResumeRecords records)
        throws IOException {
      long t0 = System.nanoTime();
      try {
        delegate.write(name, source, records);
      } finally {
        writeNanos += System.nanoTime() - t0;
      }
    }

    @Override
    public void write(String name, IoConsumer<OutputStream> writer) throws IOException {
      long t0 = System.nanoTime();
      try {
        delegate.write(name, writer);
      } finally {
        writeNanos += System.nanoTime() - t0;
      }
    }

    @Override
    public <T> T read(String name, IoFunction<InputStream, T> reader) throws IOException {
      long t0 = System.nanoTime();
      try {
        return delegate.read(name, reader);
      } finally {
        readNanos += System.nanoTime() - t0;
      }
    }
  }

  private static double mbPerSecond(long bytes, long nanos) {
    return bytes / 1048576.0 / (nanos / 1e9);
  }

  private static void resetPeaks() {
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    HeapWatch.reset();
  }

  // The sum of the heap pools' peaks since the last reset. Each pool peaks at its own moment, so
  // this can exceed -Xmx: an upper bound, shown beside HeapWatch's figure.
  private static double poolPeaksMb() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed()).sum() / 1048576.0;
  }

  private static String loadAverage() throws IOException {
    String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return fields[0] + " " + fields[1] + " " + fields[2];
  }

  // VmHWM cannot be reset, so this is the whole run's peak, backup creation included.
  private static long peakRssMb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return -1;
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("bench: could not remove " + dir + ": " + e.getMessage());
    }
  }
}
