package io.haven.archive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes one backup file in Home Assistant's layout: each part streamed straight into the outer tar
 * (its header patched once the size is known, no temporary copy), then {@code ./backup.json}, then
 * the end-of-archive blocks. The file is forced to disk by {@link #finish}, and its pages are then
 * dropped from the page cache (see {@link PageCache}); the caller writes under
 * a temporary name and renames, so an unfinished file is never taken for a backup.
 */
public final class BackupWriter implements Closeable {
  /** Large sequential writes suit SD cards and eMMC. */
  private static final int WRITE_BUFFER = 1024 * 1024;

  private final Path file;
  private final FileChannel channel;
  private final OutputStream sink;
  private final Options options;
  private final Map<String, PartFacts> facts = new LinkedHashMap<>();
  private final long mtimeMicros;
  private PartOutput open;
  private boolean finished;

  /** How parts are written. {@code encryption} is empty for an unprotected backup. */
  public record Options(
      Compression compression, Optional<SecureTar.Writer> encryption, int compressionWorkers) {
    public Options {
      if (compressionWorkers < 1) {
        throw new IllegalArgumentException("compressionWorkers < 1: " + compressionWorkers);
      }
    }

    /** The name written under extra.haven.encryption. */
    String encryptionName() {
      return encryption.map(w -> "securetar-" + w.version().name().toLowerCase()).orElse("none");
    }
  }

  private BackupWriter(Path file, FileChannel channel, Options options, Instant now) {
    this.file = file;
    this.channel = channel;
    this.sink = new BufferedOutputStream(Channels.newOutputStream(channel), WRITE_BUFFER);
    this.options = options;
    this.mtimeMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  /**
   * Creates {@code file}, which must not exist yet, readable by its owner only (0600 whatever the
   * umask): a backup holds the device's secrets even when it is not encrypted.
   */
  public static BackupWriter create(Path file, Options options, Instant now) throws IOException {
    FileChannel ch = FileChannel.open(file,
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return new BackupWriter(file, ch, options, now);
  }

  /**
   * Starts the next part; close the returned stream before starting another. Its tar stream's
   * facts (size, SHA-256, entries) are recorded for backup.json.
   */
  public PartOutput beginPart(Part part) throws IOException {
    if (open != null || finished) {
      throw new IllegalStateException("a part is still open, or the backup is finished");
    }
    String name = part.memberBase() + options.compression().suffix();
    sink.write(OuterTar.paxMtime(mtimeMicros));
    sink.flush();
    long headerAt = channel.position();
    sink.write(new byte[OuterTar.BLOCK]); // the real header is written once the size is known
    sink.flush();
    Member member = new Member(name, headerAt);
    Optional<SecureTar.SecureTarOutput> encrypted = options.encryption().isPresent()
        ? Optional.of(options.encryption().get().encrypt(member)) : Optional.empty();
    // Encryption costs about as much CPU as zstd: on a thread of its own it runs beside it.
    OutputStream stored = encrypted.isPresent()
        ? new HandoffOutputStream(encrypted.get(), "haven-encrypt") : member;
    OutputStream compressed =
        options.compression().compress(stored, options.compressionWorkers());
    Optional<byte[]> digestKey = encrypted.map(SecureTar.SecureTarOutput::digestKey);
    open = new PartOutput(part, compressed, digestKey, (out, entries, fileBytes) -> {
      long storedSize = member.finish(encrypted.map(SecureTar.SecureTarOutput::plaintextSize));
      facts.put(part.memberBase(), new PartFacts(out.count(), out.sha256Hex(), entries,
          fileBytes, storedSize, digestKey.isPresent()));
      open = null;
    });
    return open;
  }

  /**
   * Writes {@code ./backup.json} with Haven's facts added and ends the archive; forces it to disk.
   * Returns the metadata as written.
   */
  public BackupMetadata finish(BackupMetadata metadata, String havenVersion,
      ObjectNode source) throws IOException {
    return finish(metadata, havenVersion, source, List.of());
  }

  /** As above, recording the user's own {@code excludes} the backup left out. */
  public BackupMetadata finish(BackupMetadata metadata, String havenVersion,
      ObjectNode source, List<String> excludes)
      throws IOException {
    if (open != null) {
      throw new IllegalStateException("part " + open.part() + " is still open");
    }
    BackupMetadata written = metadata.withHaven(new HavenFacts(havenVersion,
        options.compression(), options.encryptionName(), facts, source, excludes));
    byte[] json = BackupJson.write(written);
    sink.write(OuterTar.fileHeader("./backup.json", json.length, mtimeMicros / 1_000_000));
    sink.write(json);
    sink.write(new byte[OuterTar.padding(json.length)]);
    sink.write(new byte[2 * OuterTar.BLOCK]);
    sink.flush();
    long end = channel.position();
    sink.write(new byte[(int) ((OuterTar.RECORD - end % OuterTar.RECORD) % OuterTar.RECORD)]);
    sink.flush();
    channel.force(true);
    // Nobody reads a backup right after writing it; its pages would only crowd out others.
    PageCache.drop(file);
    finished = true;
    return written;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /**
   * One member's body: counts what is written, then patches its header in place. The part
   * stream's close arrives here and leaves the archive open; the header is patched by finish().
   */
  private final class Member extends CountingOutputStream {
    private final String name;
    private final long headerAt;

    Member(String name, long headerAt) {
      super(sink);
      this.name = name;
      this.headerAt = headerAt;
    }

    /** Pads the body, patches the tar header and the SecureTar size; returns the body size. */
    long finish(Optional<Long> secureTarPlaintext) throws IOException {
      long size = count();
      sink.write(new byte[OuterTar.padding(size)]);
      sink.flush();
      writeAt(OuterTar.fileHeader(name, size, mtimeMicros / 1_000_000), headerAt);
      if (secureTarPlaintext.isPresent()) {
        writeAt(ByteBuffer.allocate(8).putLong(secureTarPlaintext.get()).array(),
            headerAt + OuterTar.BLOCK + SecureTar.PLAINTEXT_SIZE_OFFSET);
      }
      return size;
    }

    private void writeAt(byte[] bytes, long position) throws IOException {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        channel.write(buf, position + buf.position());
      }
    }

    @Override
    public String toString() {
      return "Member(" + name + ")";
    }
  }
}
