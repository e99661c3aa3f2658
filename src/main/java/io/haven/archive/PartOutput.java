package io.haven.archive;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The inner tar stream of one part being written. Write Haven's tree through {@link #entries()},
 * entries of any kind Commons Compress writes through {@link #tar()} (hand-made parts), or copy a
 * finished tar stream as raw bytes (an export); only one of the three per part. Closing ends the part and records its
 * facts; it must be closed before the next part starts.
 */
public final class PartOutput extends OutputStream {
  private static final int RECORD_BUFFER = 256 * 1024;
  interface Finisher {
    void finish(HashingOutputStream tarBytes, long files, long fileBytes) throws IOException;
  }

  private final Part part;
  private final OutputStream compressed;
  private final HashingOutputStream hashing;
  /**
   * The tar writer hands on one 512-byte record at a time; gathered here, the compressor and the
   * hasher get 256 KiB at a time instead of 2,000 calls per MiB.
   */
  private final BufferedOutputStream records;
  private final Finisher finisher;
  private CountingTar tar;
  private TarWriter entries;
  private long rawFiles;
  private long rawFileBytes;
  private boolean closed;

  PartOutput(Part part, OutputStream compressed, Optional<byte[]> digestKey,
      Finisher finisher) {
    this.part = part;
    this.compressed = compressed;
    this.hashing = new HashingOutputStream(compressed, digestKey);
    this.records = new BufferedOutputStream(hashing, RECORD_BUFFER);
    this.finisher = finisher;
  }

  public Part part() {
    return part;
  }

  /** The tar writer for directories, files and links of a tree. */
  public TarWriter entries() {
    if (entries == null) {
      entries = new TarWriter(records);
    }
    return entries;
  }

  /** A PAX tar writer for this part: long and non-ASCII names and big numbers as PAX records. */
  public TarArchiveOutputStream tar() {
    if (tar == null) {
      tar = new CountingTar(records);
    }
    return tar;
  }

  /** For a raw copy: the file count and bytes of the tar stream being copied. */
  public void rawCounts(long files, long fileBytes) {
    this.rawFiles = files;
    this.rawFileBytes = fileBytes;
  }

  @Override
  public void write(int b) throws IOException {
    records.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    records.write(b, off, len);
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      long files = rawFiles;
      long fileBytes = rawFileBytes;
      if (entries != null) {
        entries.finish();
        files = entries.files();
        fileBytes = entries.fileBytes();
      } else if (tar != null) {
        tar.finish();
        files = tar.files;
        fileBytes = tar.fileBytes;
      }
      records.flush();
      compressed.close();
      finisher.finish(hashing, files, fileBytes);
    } finally {
      hashing.stopHashing();
    }
  }

  @Override
  public String toString() {
    return "Part(" + part + ", " + hashing + ")";
  }

  /**
   * A regular file's entry. Commons Compress calls {@code putArchiveEntry} for its own PAX header
   * pseudo-entries too, and its {@code isFile()} holds for links: neither is a file.
   */
  static boolean isRegularFile(TarArchiveEntry e) {
    return e.isFile() && !e.isPaxHeader() && !e.isSymbolicLink() && !e.isLink()
        && !e.isGlobalPaxHeader();
  }

  /** Counts the entries and file bytes it writes, for backup.json's facts. */
  private static final class CountingTar extends TarArchiveOutputStream {
    long files;
    long fileBytes;

    CountingTar(OutputStream out) {
      super(out, StandardCharsets.UTF_8.name());
      setLongFileMode(LONGFILE_POSIX);
      setBigNumberMode(BIGNUMBER_POSIX);
      setAddPaxHeadersForNonAsciiNames(true);
    }

    @Override
    public void putArchiveEntry(TarArchiveEntry entry) throws IOException {
      // Permission bits only, as Python's tarfile and GNU tar write them: the entry type says
      // what it is, and Home Assistant's reader would otherwise see 0o100644 as the mode.
      entry.setMode(entry.getMode() & 07777);
      super.putArchiveEntry(entry);
      if (isRegularFile(entry)) {
        files++;
        fileBytes += entry.getSize();
      }
    }
  }
}
