package io.haven.restic;

import io.haven.location.IoConsumer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A repository in a local (or mounted) directory, laid out as restic's local backend does. New
 * files go to {@code .NAME.haven-tmp} beside their final name, are fsynced, then renamed.
 */
public final class FileStorage implements Storage {
  private final Path root;

  public FileStorage(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  private Path path(String name) {
    Path p = root.resolve(name).normalize();
    if (!p.startsWith(root) || name.contains("..")) {
      throw new IllegalArgumentException("not a repository file name: " + name);
    }
    return p;
  }

  @Override
  public void put(String name, byte[] bytes) throws IOException {
    Path target = path(name);
    Path temp = temporary(target);
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    commit(temp, target);
  }

  @Override
  public void put(String name, Path file) throws IOException {
    Path target = path(name);
    Path temp = temporary(target);
    try {
      Files.move(file, temp, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
      Files.delete(file);
    }
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    commit(temp, target);
  }

  private static Path temporary(Path target) throws IOException {
    Files.createDirectories(target.getParent());
    return target.resolveSibling("." + target.getFileName() + ".haven-tmp");
  }

  // Rename, then fsync the directory so the new name survives a power cut.
  private static void commit(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException ignored) {
      // Some file systems (and mounted shares) cannot sync a directory; the rename still holds.
    }
  }

  @Override
  public byte[] get(String name) throws IOException {
    Path p = path(name);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      return Layout.readFully(this, name, 0, Layout.smallFileSize(this, name, ch.size()),
          reader(ch));
    } catch (NoSuchFileException e) {
      throw Layout.notFound(this, name, e);
    }
  }

  @Override
  public byte[] readUpTo(String name, long offset, int most) throws IOException {
    try (FileChannel ch = FileChannel.open(path(name), StandardOpenOption.READ)) {
      return Layout.readUpTo(offset, most, reader(ch));
    } catch (NoSuchFileException e) {
      throw Layout.notFound(this, name, e);
    }
  }

  private static Layout.ReadAt reader(FileChannel ch) {
    return (at, into, from, n) -> ch.read(ByteBuffer.wrap(into, from, n), at);
  }

  @Override
  public void list(String dir, IoConsumer<Entry> each) throws IOException {
    Path d = dir.isEmpty() ? root : path(dir);
    if (!Files.isDirectory(d)) {
      return;
    }
    try (Stream<Path> files = Files.walk(d, dir.equals("data") ? 2 : 1)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Optional<Entry> e = Layout.hidden(p.getFileName().toString()) ? Optional.empty()
            : entry(p);
        if (e.isPresent()) {
          each.accept(e.get());
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  // A file another process removed since the walk saw it is simply not listed.
  private Optional<Entry> entry(Path p) throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return a.isRegularFile() ? Optional.of(new Entry(root.relativize(p).toString(), a.size()))
          : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public void delete(String name) throws IOException {
    Files.deleteIfExists(path(name));
  }

  @Override
  public boolean exists(String name) {
    return Files.isRegularFile(path(name));
  }

  /** Creates the directories restic's local backend creates at init. */
  @Override
  public void createLayout() throws IOException {
    for (String d : Layout.DIRECTORIES) {
      Files.createDirectories(root.resolve(d));
    }
  }

  @Override
  public String describe() {
    return root.toString();
  }

  @Override
  public void close() {}
}
