package io.haven.restic;

import io.haven.location.IoConsumer;
import io.haven.location.LocationException;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** restic's repository layout, and what every {@link Storage} says alike about its files. */
final class Layout {
  /** The directories restic's local and sftp backends create at init, parents first. */
  static final List<String> DIRECTORIES = directories();

  private Layout() {}

  private static List<String> directories() {
    List<String> dirs = new ArrayList<>(List.of("data", "index", "keys", "locks", "snapshots"));
    for (int i = 0; i < 256; i++) {
      dirs.add("data/" + String.format("%02x", i));
    }
    return List.copyOf(dirs);
  }

  /** {@code name} if it is a repository file's name, relative and inside the repository. */
  static String check(String name) {
    if (name.contains("..") || name.startsWith("/") || name.contains("\\")) {
      throw new IllegalArgumentException("not a repository file name: " + name);
    }
    return name;
  }

  /**
   * Stores {@code name} with {@code store}; where a folder of it is missing (restic's rest
   * backend makes no data/ab/), makes each with {@code mkdir}, which takes one that exists, and
   * stores again.
   */
  static void storeInFolders(String name, IoConsumer<String> store, IoConsumer<String> mkdir)
      throws IOException {
    try {
      store.accept(check(name));
    } catch (LocationException.NotFound e) {
      int last = name.lastIndexOf('/');
      if (last < 0) {
        throw e;
      }
      for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
        mkdir.accept(name.substring(0, slash));
      }
      store.accept(name);
    }
  }

  /** {@code path}'s last segment hides an unfinished or foreign file (a storage's temporary). */
  static boolean hidden(String path) {
    return path.substring(path.lastIndexOf('/') + 1).startsWith(".");
  }

  /** {@code dir}'s child {@code child}, as {@link Storage.Entry} names it. */
  static String child(String dir, String child) {
    return dir.isEmpty() ? child : dir + "/" + child;
  }

  /** A small file's size as an array's, refused when no small file is that large. */
  static int smallFileSize(Storage storage, String name, long size) throws LocationException {
    if (size > Json.MAX_UNPACKED) {
      throw new LocationException.Refused(name + " in " + storage.describe() + " is " + size
          + " bytes, too large for a repository's small file.", null);
    }
    return (int) size;
  }

  static LocationException notFound(Storage storage, String name, Exception cause) {
    return new LocationException.NotFound("No " + name + " in " + storage.describe() + ".",
        cause);
  }

  static EOFException endsBefore(Storage storage, String name, long end) {
    return new EOFException(name + " in " + storage.describe() + " ends before byte " + end);
  }

  /** One read at an offset of an open file: how many bytes came, or -1 at its end. */
  interface ReadAt {
    int read(long offset, byte[] into, int at, int length) throws IOException;
  }

  /** {@code length} bytes from {@code offset}, read until they are all there. */
  static byte[] readFully(Storage storage, String name, long offset, int length, ReadAt file)
      throws IOException {
    byte[] out = readUpTo(offset, length, file);
    if (out.length != length) {
      throw endsBefore(storage, name, offset + length);
    }
    return out;
  }

  /** Up to {@code most} bytes from {@code offset}, read until they are there or the file ends. */
  static byte[] readUpTo(long offset, int most, ReadAt file) throws IOException {
    byte[] out = new byte[most];
    int done = 0;
    while (done < most) {
      int n = file.read(offset + done, out, done, most - done);
      if (n < 0) {
        return Arrays.copyOf(out, done);
      }
      done += n;
    }
    return out;
  }
}
