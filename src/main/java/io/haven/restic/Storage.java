package io.haven.restic;

import io.haven.location.IoConsumer;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where a repository's files live, named as in restic's layout: {@code config},
 * {@code keys/ID}, {@code data/ab/ID}, {@code index/ID}, {@code snapshots/ID}, {@code locks/ID}.
 *
 * <p>Promises: a put object is complete under its name or not there (a temporary name and a
 * rename, or one PUT); {@link #list} shows complete objects only; reads of a name that is not
 * there throw {@link io.haven.location.LocationException.NotFound}.
 */
public interface Storage extends Closeable {

  /** One stored object: its name relative to the repository and its size. */
  record Entry(String name, long size) {}

  /** Stores {@code bytes} under {@code name}, creating directories as needed. */
  void put(String name, byte[] bytes) throws IOException;

  /** Stores the local file {@code file} under {@code name}; the file may be moved or deleted. */
  void put(String name, Path file) throws IOException;

  /** The whole object; for small objects (config, keys, index, snapshots, locks). */
  byte[] get(String name) throws IOException;

  /**
   * Up to {@code most} bytes of the object from {@code offset}: fewer where the object ends,
   * none from its end on.
   */
  byte[] readUpTo(String name, long offset, int most) throws IOException;

  /** {@code length} bytes of the object from {@code offset}; fails where it ends before. */
  default byte[] read(String name, long offset, int length) throws IOException {
    byte[] out = readUpTo(name, offset, length);
    if (out.length != length) {
      throw Layout.endsBefore(this, name, offset + length);
    }
    return out;
  }

  /**
   * Calls {@code each} once per complete object under {@code dir} ({@code data} lists all its
   * subdirectories), in no particular order, without holding the listing.
   */
  void list(String dir, IoConsumer<Entry> each) throws IOException;

  /**
   * The complete objects under {@code dir}, sorted by name: for the directories whose size does
   * not follow the data's (keys, locks, snapshots, index), never for {@code data}.
   */
  default List<Entry> list(String dir) throws IOException {
    List<Entry> out = new ArrayList<>();
    list(dir, out::add);
    out.sort(Comparator.comparing(Entry::name));
    return out;
  }

  /** Removes the object; a missing one is not an error (another process may have removed it). */
  void delete(String name) throws IOException;

  /** Whether {@code name} exists. */
  default boolean exists(String name) throws IOException {
    int slash = name.lastIndexOf('/');
    String dir = slash < 0 ? "" : name.substring(0, slash);
    return list(dir).stream().anyMatch(e -> e.name().equals(name));
  }

  /** Prepares the directories of a new repository, where the storage has directories. */
  default void createLayout() throws IOException {}

  /** For messages: where the repository is, never a secret. */
  String describe();
}
