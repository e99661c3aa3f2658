package io.haven.archive;

/** The rules an entry name inside a part must follow before anything is written for it. */
public final class EntryNames {
  private static final int MAX_NAME_BYTES = 4095;
  private static final int MAX_SEGMENT_BYTES = 255;

  private EntryNames() {}

  /**
   * Fails with {@link ArchiveException.Unsafe} for a name that would land outside its part: an
   * absolute path, or one with a ".." segment; and for a name no file system path can hold. Both are refused, not rewritten, as Python's tarfile
   * "tar" filter does for Home Assistant.
   */
  public static void check(String name, String what) throws ArchiveException {
    if (name.startsWith("/")) {
      throw new ArchiveException.Unsafe(what + ": entry '" + name + "' has an absolute path;"
          + " refusing to restore from this archive");
    }
    // One pass over the segments, without splitting: this runs for every entry of a restore.
    int totalBytes = 0;
    int longestSegment = 0;
    for (int start = 0, end; start <= name.length(); start = end + 1) {
      end = name.indexOf('/', start);
      if (end < 0) {
        end = name.length();
      }
      if (end - start == 2 && name.charAt(start) == '.' && name.charAt(start + 1) == '.') {
        throw new ArchiveException.Unsafe(what + ": entry '" + name + "' climbs out with '..';"
            + " refusing to restore from this archive");
      }
      int bytes = utf8Length(name, start, end);
      longestSegment = Math.max(longestSegment, bytes);
      totalBytes += bytes + (end < name.length() ? 1 : 0);
    }
    // Linux's limits (PATH_MAX, NAME_MAX): a longer name cannot be created, only fail half way.
    if (totalBytes > MAX_NAME_BYTES) {
      throw new ArchiveException.Unsafe(what + ": an entry name is too long ("
          + name.length() + " characters, at most " + MAX_NAME_BYTES + " bytes fit in a path);"
          + " refusing to restore from this archive");
    }
    if (longestSegment > MAX_SEGMENT_BYTES) {
      throw new ArchiveException.Unsafe(what + ": entry '" + name.substring(0,
          Math.min(80, name.length())) + "...' has a name part that is too long (over "
          + MAX_SEGMENT_BYTES + " bytes); refusing to restore from this archive");
    }
    if (name.indexOf('\0') >= 0) {
      throw new ArchiveException.Unsafe(what + ": entry name holds a NUL byte");
    }
  }

  // The length of s[from, to) in UTF-8 as String.getBytes writes it: a lone surrogate as '?'.
  private static int utf8Length(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < to
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += Character.isSurrogate(c) ? 1 : 3;
      }
    }
    return n;
  }
}
