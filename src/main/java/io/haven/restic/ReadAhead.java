package io.haven.restic;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Optional;

/**
 * A remote storage whose reads of packs fetch ahead. A restore or a check reads a pack's blobs
 * one after another, often a few KiB each; over a network each read is a round trip. So a read
 * of a pack fetches {@link #WINDOW} bytes (less at the pack's end), and the reads that follow
 * within them are served from there. A pack's name is the hash of its bytes: what is kept cannot
 * go stale. Holds at most {@link #WINDOWS} fetches: one for each thread that reads at once.
 */
final class ReadAhead extends ForwardingStorage {
  static final int WINDOW = 2 * 1024 * 1024;
  /** The check's two reading threads and its caller. */
  static final int WINDOWS = Checker.READERS + 1;

  /** The fetches, the last used first. */
  private final Deque<Window> windows = new ArrayDeque<>();

  private record Window(String name, long offset, byte[] bytes) {
    boolean holds(String n, long from, int length) {
      return n.equals(name) && from >= offset && from + length <= offset + bytes.length;
    }
  }

  ReadAhead(Storage storage) {
    super(storage);
  }

  @Override
  public byte[] readUpTo(String name, long offset, int most) throws IOException {
    Optional<Window> held = held(name, offset, most);
    if (held.isPresent()) {
      int from = (int) (offset - held.get().offset());
      return Arrays.copyOfRange(held.get().bytes(), from, from + most);
    }
    if (!name.startsWith("data/") || most >= WINDOW) {
      return storage.readUpTo(name, offset, most);
    }
    byte[] fetched = storage.readUpTo(name, offset, WINDOW);
    keep(new Window(name, offset, fetched));
    return fetched.length <= most ? fetched : Arrays.copyOf(fetched, most);
  }

  private synchronized Optional<Window> held(String name, long offset, int length) {
    for (Window w : windows) {
      if (w.holds(name, offset, length)) {
        windows.remove(w);
        windows.addFirst(w);
        return Optional.of(w);
      }
    }
    return Optional.empty();
  }

  private synchronized void keep(Window w) {
    windows.addFirst(w);
    if (windows.size() > WINDOWS) {
      windows.removeLast();
    }
  }

  // A pack is deleted by a prune once nothing needs it; its fetches go with it.
  @Override
  public void delete(String name) throws IOException {
    synchronized (this) {
      windows.removeIf(w -> w.name().equals(name));
    }
    storage.delete(name);
  }
}
