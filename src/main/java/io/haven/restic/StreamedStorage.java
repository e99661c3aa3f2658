package io.haven.restic;

import io.haven.location.IoConsumer;
import io.haven.location.Location;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A repository on a location that writes a file as a stream under a temporary name and renames
 * it when complete (SFTP, WebDAV, SMB, rclone): both kinds of put are that one write. The
 * location's connection, login and secrets serve the repository, and close with it.
 */
abstract class StreamedStorage<L extends Location> implements Storage {
  protected final L location;

  StreamedStorage(L location) {
    this.location = location;
  }

  /** Writes the repository file {@code name} (already checked) complete, or not at all. */
  abstract void store(String name, IoConsumer<OutputStream> body) throws IOException;

  @Override
  public final void put(String name, byte[] bytes) throws IOException {
    store(Layout.check(name), out -> out.write(bytes));
  }

  @Override
  public final void put(String name, Path file) throws IOException {
    store(Layout.check(name), out -> Files.copy(file, out));
    Files.deleteIfExists(file);
  }

  @Override
  public final String describe() {
    return location.describe();
  }

  @Override
  public final void close() throws IOException {
    location.close();
  }
}
