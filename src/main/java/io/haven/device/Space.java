package io.haven.device;

/**
 * The size of a file system and how much of it is in use, in bytes. {@code freeBytes} is what an
 * unprivileged writer may still use (root's reserve excluded), so {@code used + free <= total}.
 */
public record Space(long totalBytes, long usedBytes, long freeBytes) {
  public Space {
    if (totalBytes < 0 || usedBytes < 0 || freeBytes < 0) {
      throw new IllegalArgumentException(
          "negative space: total=" + totalBytes + " used=" + usedBytes + " free=" + freeBytes);
    }
  }
}
