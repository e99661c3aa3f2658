package io.haven.restic;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A storage that stops for good at the n-th put or delete of a name under a prefix, after saying
 * so on stdout, so that a test can kill the process at exactly that point.
 */
final class PausingStorage extends ForwardingStorage {
  static final String PAUSED = "paused before ";
  private final String op;
  private final String prefix;
  private int left;

  /** Pauses before the {@code nth} {@code op} ("put" or "delete") of a name under {@code prefix}. */
  PausingStorage(Storage inner, String op, String prefix, int nth) {
    super(inner);
    this.op = op;
    this.prefix = prefix;
    this.left = nth;
  }

  private void maybePause(String what, String name) {
    if (what.equals(op) && name.startsWith(prefix) && --left == 0) {
      System.out.println(PAUSED + what + " " + name);
      System.out.flush();
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void put(String name, byte[] bytes) throws IOException {
    maybePause("put", name);
    storage.put(name, bytes);
  }

  @Override
  public void put(String name, Path file) throws IOException {
    maybePause("put", name);
    storage.put(name, file);
  }

  @Override
  public void delete(String name) throws IOException {
    maybePause("delete", name);
    storage.delete(name);
  }
}
