package io.haven.tree;

import io.haven.archive.TarWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * Writes a directory tree into a part's tar: directories, regular files, symbolic links, with
 * modes, owners and modification times, in {@link TreeWalk}'s order, so the same tree gives the
 * same tar. A file that changes, vanishes or cannot be read while it is copied becomes a warning,
 * never a failed backup.
 */
public final class TreeArchiver {
  private static final int COPY_BUFFER = 256 * 1024;

  private final TreeWalk walk;
  private final Map<String, Substitute> substitutes;
  private final Progress progress;
  private final Warnings warnings;
  private final ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER);

  /**
   * The file to read for a name instead of the one the walk found (a database copy), or the same
   * file when its changes during the read are expected (a database read under its own snapshot):
   * either way no "changed while reading" warning. Asked for only when the walk reaches the name.
   */
  public interface Substitute {
    Path path() throws IOException;
  }

  /**
   * @param substitutes relative paths whose content comes from a {@link Substitute}; the walked
   *     file's mode, owner and time are kept
   */
  public TreeArchiver(TreeWalk walk, Map<String, Substitute> substitutes, Progress progress,
      Warnings warnings) {
    this.walk = walk;
    this.substitutes = Map.copyOf(substitutes);
    this.progress = progress;
    this.warnings = warnings;
  }

  /** Writes only the entry for {@code dir} itself, named {@code name}. */
  public static void putRoot(Path dir, String name, TarWriter tar) throws IOException {
    tar.directory(name, meta(TreeWalk.Attributes.of(dir)));
  }

  /** Writes {@code dir} itself as {@code rootName} ("./" or "data/") and everything below it. */
  public void archive(Path dir, String rootName, TarWriter tar) throws IOException {
    putRoot(dir, rootName, tar);
    String prefix = rootName.equals("./") ? "" : rootName;
    walk.walk(dir, new TreeWalk.Visitor() {
      @Override
      public void directory(String rel, Path d, TreeWalk.Attributes attrs) throws IOException {
        tar.directory(prefix + rel + "/", meta(attrs));
      }

      @Override
      public void file(String rel, Path f, TreeWalk.Attributes attrs) throws IOException {
        Substitute substitute = substitutes.get(rel);
        if (substitute == null) {
          putFile(tar, prefix + rel, f, true, attrs);
        } else {
          Path source = substitute.path();
          putFile(tar, prefix + rel, source, false, attrs.withSize(Files.size(source)));
        }
      }

      @Override
      public void symlink(String rel, Path l, TreeWalk.Attributes attrs) throws IOException {
        tar.symlink(prefix + rel, Files.readSymbolicLink(l).toString(), meta(attrs));
      }
    });
  }

  /** Writes one regular file entry with the given bytes (homeassistant.json, addon.json). */
  public static void putBytes(TarWriter tar, String name, byte[] content, FileTime time)
      throws IOException {
    // 0600: it may hold tokens, as Home Assistant's does
    tar.beginFile(name, new TarWriter.Meta(0600, 0, 0, seconds(time)), content.length);
    tar.write(content, 0, content.length);
    tar.endFile();
  }

  private void putFile(TarWriter tar, String name, Path source, boolean live,
      TreeWalk.Attributes attrs) throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(source);
    } catch (NoSuchFileException e) {
      warnings.add("vanished while reading: " + source);
      return;
    } catch (AccessDeniedException e) {
      warnings.add("cannot read (permission denied): " + source);
      return;
    }
    try (ch) {
      // The walk's size, not a second stat: a file replaced or grown since then is caught by the
      // one stat after the copy, which must find the size and time the walk found.
      long size = attrs.size();
      tar.beginFile(name, meta(attrs), size);
      long copied = copy(ch, size, tar);
      if (copied < size) {
        // The header promised size bytes: keep the tar well-formed and say so.
        padZeros(tar, size - copied);
        warnings.add("shrank while reading, zero-padded: " + source);
      } else if (live && changedSince(source, attrs)) {
        warnings.add("changed while reading: " + source);
      }
      tar.endFile();
    }
  }

  private long copy(FileChannel ch, long size, TarWriter tar) throws IOException {
    long copied = 0;
    while (copied < size) {
      buffer.clear();
      buffer.limit((int) Math.min(buffer.capacity(), size - copied));
      int n = ch.read(buffer);
      if (n < 0) {
        break;
      }
      tar.write(buffer.array(), 0, n);
      copied += n;
      progress.advance(n);
    }
    return copied;
  }

  private static void padZeros(TarWriter tar, long n) throws IOException {
    byte[] zeros = new byte[(int) Math.min(n, COPY_BUFFER)];
    for (long left = n; left > 0; left -= zeros.length) {
      tar.write(zeros, 0, (int) Math.min(zeros.length, left));
    }
  }

  private static boolean changedSince(Path file, TreeWalk.Attributes before) throws IOException {
    try {
      TreeWalk.Attributes now = TreeWalk.Attributes.of(file);
      return now.size() != before.size() || !now.modified().equals(before.modified());
    } catch (NoSuchFileException e) {
      return false; // removed after it was read completely: the copy is whole
    }
  }

  // Ids as the unsigned numbers they are; times in whole seconds (see TarWriter).
  private static TarWriter.Meta meta(TreeWalk.Attributes attrs) {
    return new TarWriter.Meta(attrs.mode() & 07777, Integer.toUnsignedLong(attrs.uid()),
        Integer.toUnsignedLong(attrs.gid()), seconds(attrs.modified()));
  }

  private static long seconds(FileTime time) {
    return time.toInstant().getEpochSecond();
  }
}
