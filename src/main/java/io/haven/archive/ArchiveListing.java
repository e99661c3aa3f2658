package io.haven.archive;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * The files of a backup, part by part, read by streaming through each part's tar (decrypting and
 * decompressing as it goes, skipping file contents): nothing is written to disk. Paths are shown
 * as {@code <part>/<name in the part>}, e.g. {@code homeassistant/data/configuration.yaml} or
 * {@code addons/local/my_addon/run.sh}; the part's own root entry is the part's id alone.
 */
public final class ArchiveListing {
  private ArchiveListing() {}

  /** What an entry is. */
  public enum Type {
    FILE,
    DIRECTORY,
    SYMLINK,
    HARDLINK,
    OTHER
  }

  /** One entry of a part; {@code link} is the target of a symbolic or hard link. */
  public record Entry(Part part, String name, Type type, long size, int mode, Instant mtime,
      Optional<String> link) {
    /** The path as listed: the part's id, then the entry's name inside the part. */
    public String path() {
      return name.isEmpty() ? part.id() : part.id() + "/" + name;
    }
  }

  /** Receives entries as they are read. */
  public interface Visitor {
    void entry(Entry e) throws IOException;
  }

  /**
   * Calls {@code visitor} for every entry whose path is {@code prefix} or lies below it (every
   * entry when it is empty), in archive order. Parts that cannot hold such a path are not opened.
   * A protected part needs {@code secret}, as {@link BackupArchive#openPart} says.
   */
  public static void list(BackupArchive archive, Optional<Secret> secret, String prefix,
      Visitor visitor) throws IOException {
    String p = trimSlashes(prefix);
    for (Part part : archive.parts()) {
      if (!mayHold(part, p)) {
        continue;
      }
      try (PartInput in = archive.openPart(part, secret)) {
        for (Optional<TarArchiveEntry> e = in.nextEntry(); e.isPresent(); e = in.nextEntry()) {
          Entry entry = entryOf(part, e.get());
          if (p.isEmpty() || entry.path().equals(p) || entry.path().startsWith(p + "/")) {
            visitor.entry(entry);
          }
        }
      }
    }
  }

  /** An entry's name inside its part: no leading "./", no trailing "/", "" for the root. */
  public static String normalise(String name) {
    String n = name;
    while (n.startsWith("./")) {
      n = n.substring(2);
    }
    return n.equals(".") ? "" : trimSlashes(n);
  }

  private static String trimSlashes(String s) {
    String t = s;
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }

  private static boolean mayHold(Part part, String prefix) {
    String id = part.id();
    return prefix.isEmpty() || prefix.equals(id) || prefix.startsWith(id + "/")
        || id.startsWith(prefix + "/");
  }

  private static Entry entryOf(Part part, TarArchiveEntry e) {
    Type type = e.isDirectory() ? Type.DIRECTORY : e.isSymbolicLink() ? Type.SYMLINK
        : e.isLink() ? Type.HARDLINK : e.isFile() ? Type.FILE : Type.OTHER;
    Optional<String> link = type == Type.SYMLINK || type == Type.HARDLINK
        ? Optional.of(e.getLinkName()) : Optional.empty();
    return new Entry(part, normalise(e.getName()), type, type == Type.FILE ? e.getSize() : 0,
        e.getMode() & 07777, e.getLastModifiedTime().toInstant(), link);
  }
}
