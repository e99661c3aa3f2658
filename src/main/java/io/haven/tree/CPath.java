package io.haven.tree;

import java.nio.ByteBuffer;

/**
 * A path as the NUL-terminated bytes a C call takes, in a direct buffer each thread reuses, so a
 * call made per restored or backed-up file neither allocates nor copies (a byte[] argument would
 * be copied in and out by JNI). Only for ASCII names: anything else, passed through Java's String,
 * might not name the same bytes on disk, so the caller takes Java's own way for it.
 */
final class CPath {
  private static final int PATH_MAX = 4096;
  private static final ThreadLocal<ByteBuffer> BUFFERS =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(PATH_MAX));

  private CPath() {}

  /** The bytes of {@code s} and a NUL, valid until this thread's next call; null if not ASCII. */
  static ByteBuffer of(String s) {
    int n = s.length();
    if (n >= PATH_MAX) {
      return null;
    }
    ByteBuffer b = BUFFERS.get();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80 || c == 0) {
        return null;
      }
      b.put(i, (byte) c);
    }
    b.put(n, (byte) 0);
    return b;
  }
}
