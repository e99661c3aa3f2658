package io.haven.location;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A directory on a local disk or a mounted NFS/CIFS share ({@code file:///backup}). Writes go to a
 * temporary file that is fsynced, renamed atomically onto the name, and the directory fsynced, so
 * a power cut leaves the old archive or the new one.
 */
public final class FileLocation implements Location {
  private static final int BUFFER_BYTES = 256 * 1024;

  private final Path dir;

  private FileLocation(Path dir) {
    this.dir = dir;
  }

  /** The directory at {@code spec}'s {@code file:} URL, created if missing. */
  static FileLocation open(LocationSpec spec) throws IOException {
    if (spec.url().getPath() == null || spec.url().getPath().isEmpty()) {
      throw new LocationException.Misconfigured("Location '" + spec.name() + "' needs an absolute"
          + " path, such as file:///backup");
    }
    return at(Path.of(spec.url()));
  }

  /** The directory {@code dir}, created if missing. */
  public static FileLocation at(Path dir) throws IOException {
    FileLocation location = new FileLocation(dir.toAbsolutePath().normalize());
    try {
      Files.createDirectories(location.dir);
    } catch (IOException e) {
      throw location.translate("creating the directory of", e);
    }
    return location;
  }

  @Override
  public List<ArchiveInfo> list() throws IOException {
    List<ArchiveInfo> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (Names.isValid(name)) {
          info(entry, name).ifPresent(found::add);
        }
      }
    } catch (IOException e) {
      throw translate("listing", e);
    }
    found.sort(Comparator.comparing(ArchiveInfo::name));
    return List.copyOf(found);
  }

  @Override
  public Optional<ArchiveInfo> stat(String name) throws IOException {
    try {
      return info(dir.resolve(Names.check(name)), name);
    } catch (IOException e) {
      throw translate("reading the size of '" + name + "' in", e);
    }
  }

  private static Optional<ArchiveInfo> info(Path file, String name) throws IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (!attrs.isRegularFile()) {
      return Optional.empty();
    }
    return Optional.of(new ArchiveInfo(name, attrs.size(), attrs.lastModifiedTime().toInstant()));
  }

  @Override
  public <T> T read(String name, IoFunction<InputStream, T> reader) throws IOException {
    Path file = dir.resolve(Names.check(name));
    InputStream in;
    try {
      in = Files.newInputStream(file);
    } catch (IOException e) {
      throw translate("opening '" + name + "' in", e);
    }
    try (in) {
      return reader.apply(GuardedStreams.input(in, e -> translate("reading '" + name + "' from", e)));
    }
  }

  /** The object's file in the directory, when it is a complete one (temporaries are hidden). */
  @Override
  public Optional<Path> localPath(String name) throws IOException {
    return stat(name).map(info -> dir.resolve(name));
  }

  @Override
  public void write(String name, IoConsumer<OutputStream> writer) throws IOException {
    Path target = dir.resolve(Names.check(name));
    // Write under a temporary name first, so no reader ever sees a partial archive.
    Path temp = dir.resolve(Temporaries.forName(name));
    try {
      writeDurably(temp, name, writer);
      commit(temp, target, name);
    } catch (Throwable e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  private void writeDurably(Path temp, String name, IoConsumer<OutputStream> writer)
      throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw translate("creating a temporary for '" + name + "' in", e);
    }
    try (channel) {
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES);
      writer.accept(GuardedStreams.output(out, e -> translate("writing '" + name + "' to", e)));
      try {
        out.flush();
        // fsync before the rename: otherwise a crash can leave the new name with missing bytes.
        channel.force(true);
      } catch (IOException e) {
        throw translate("writing '" + name + "' to", e);
      }
    }
  }

  private void commit(Path temp, Path target, String name) throws IOException {
    try {
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        // Some CIFS mounts refuse it; the temporary is complete, so a plain rename is still safe.
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      // fsync the directory too, so the rename itself survives a power cut.
      try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
        directory.force(true);
      }
    } catch (IOException e) {
      throw translate("renaming the finished '" + name + "' in", e);
    }
  }

  @Override
  public void delete(String name) throws IOException {
    try {
      Files.delete(dir.resolve(Names.check(name)));
    } catch (IOException e) {
      throw translate("deleting '" + name + "' from", e);
    }
  }

  @Override
  public String describe() {
    return dir.toUri().toString();
  }

  @Override
  public Capabilities capabilities() {
    return new Capabilities(true, true, false);
  }

  @Override
  public Optional<Long> freeSpace() throws IOException {
    try {
      return Optional.of(Files.getFileStore(dir).getUsableSpace());
    } catch (IOException e) {
      throw translate("reading the free space of", e);
    }
  }

  @Override
  public void close() {
    // Nothing is held open between calls.
  }

  private LocationException translate(String doing, Exception e) {
    String where = doing + " " + describe();
    if (e instanceof NoSuchFileException) {
      return new LocationException.NotFound("Not found: " + where + ". Check the name with"
          + " 'haven list'.", e);
    }
    if (e instanceof AccessDeniedException) {
      return new LocationException.Refused("Permission denied " + where + ". Let Haven's user"
          + " write to that directory.", e);
    }
    String message = String.valueOf(e.getMessage());
    if (message.contains("No space left")) {
      return new LocationException.Refused("No space left " + where + ". Free space or delete old"
          + " archives.", e);
    }
    return new LocationException.Unreachable("Failed " + where + ": " + message + ". Check that the"
        + " disk or network mount is present.", e);
  }
}
