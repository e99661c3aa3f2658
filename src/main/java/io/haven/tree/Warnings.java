package io.haven.tree;

import java.util.ArrayList;
import java.util.List;

/**
 * What went not quite right but did not stop the job: a file that changed or vanished while it
 * was read, one that could not be read. Keeps the first few messages and counts the rest, so a
 * tree with a million unreadable files still uses little memory.
 */
public final class Warnings {
  private static final int KEPT = 100;

  private final List<String> messages = new ArrayList<>();
  private long count;

  public synchronized void add(String message) {
    count++;
    if (messages.size() < KEPT) {
      messages.add(message);
    }
  }

  public synchronized long count() {
    return count;
  }

  /** The first {@value #KEPT} messages, and a line saying how many more there were. */
  public synchronized List<String> messages() {
    List<String> out = new ArrayList<>(messages);
    if (count > messages.size()) {
      out.add("... and " + (count - messages.size()) + " more warnings");
    }
    return out;
  }
}
