package io.haven.reliability;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.haven.archive.BackupMetadata;
import io.haven.archive.BackupWriter;
import io.haven.archive.Compression;
import io.haven.archive.HomeAssistantInfo;
import io.haven.archive.Part;
import io.haven.archive.PartOutput;
import io.haven.archive.Slug;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Hand-made backups for the tests: one part with whatever entries a test puts in it. */
final class Archives {
  private Archives() {}

  interface Body {
    void write(PartOutput out) throws IOException;
  }

  /**
   * Writes {@code <dir>/<slug>.tar} holding only {@code part}, with Haven's facts for exactly the
   * bytes {@code body} wrote (so the checksums match and only the safety checks can refuse it).
   */
  static String write(Path dir, String name, Part part, Compression c, Body body)
      throws IOException {
    Files.createDirectories(dir);
    Instant now = Instant.parse("2026-01-02T03:04:05Z");
    String date = Slug.date(now);
    String slug = Slug.of(date, name);
    try (BackupWriter w = BackupWriter.create(dir.resolve(slug + ".tar"),
        new BackupWriter.Options(c, Optional.empty(), 1), now)) {
      try (PartOutput out = w.beginPart(part)) {
        body.write(out);
      }
      Optional<HomeAssistantInfo> ha = part.kind() == Part.Kind.HOMEASSISTANT
          ? Optional.of(new HomeAssistantInfo("2026.1.0", false)) : Optional.empty();
      List<String> folders = part.kind() == Part.Kind.FOLDER ? List.of(part.id()) : List.of();
      w.finish(new BackupMetadata(slug, name, date, BackupMetadata.Type.PARTIAL,
          c != Compression.NONE, false, ha, folders, List.of(), List.of(), null, null, null),
          "test", JsonNodeFactory.instance.objectNode());
    }
    return slug;
  }

  static void dir(TarArchiveOutputStream tar, String name) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_DIR, true);
    e.setMode(040755);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  static void file(TarArchiveOutputStream tar, String name, String content, int mode)
      throws IOException {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setMode(mode);
    e.setSize(b.length);
    tar.putArchiveEntry(e);
    tar.write(b);
    tar.closeArchiveEntry();
  }

  static void file(TarArchiveOutputStream tar, String name, String content) throws IOException {
    file(tar, name, content, 0100644);
  }

  static void link(TarArchiveOutputStream tar, byte type, String name, String target)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setLinkName(target);
    e.setMode(type == TarConstants.LF_SYMLINK ? 0120777 : 0100644);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  static void special(TarArchiveOutputStream tar, byte type, String name) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setMode(0600);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  /** A raw ustar header claiming {@code size} bytes, followed by only {@code actual} bytes. */
  static void lyingHeader(OutputStream raw, String name, long size, int actual)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setMode(0100644);
    e.setSize(size);
    byte[] header = new byte[512];
    e.writeEntryHeader(header, org.apache.commons.compress.archivers.zip.ZipEncodingHelper
        .getZipEncoding(StandardCharsets.UTF_8), true);
    raw.write(header);
    raw.write(new byte[actual]);
  }

  /** {@code zeros} zero bytes as one file: compresses to almost nothing. */
  static void zeros(TarArchiveOutputStream tar, String name, long zeros) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setMode(0100644);
    e.setSize(zeros);
    tar.putArchiveEntry(e);
    byte[] buf = new byte[1 << 20];
    for (long left = zeros; left > 0; left -= buf.length) {
      tar.write(buf, 0, (int) Math.min(buf.length, left));
    }
    tar.closeArchiveEntry();
  }
}
