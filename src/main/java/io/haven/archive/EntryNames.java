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
    for (String segment : name.split("/")) {
      if (segment.equals("..")) {
        throw new ArchiveException.Unsafe(what + ": entry '" + name + "' climbs out with '..';"
            + " refusing to restore from this archive");
      }
    }
    // Linux's limits (PATH_MAX, NAME_MAX): a longer name cannot be created, only fail half way.
    if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new ArchiveException.Unsafe(what + ": an entry name is too long ("
          + name.length() + " characters, at most " + MAX_NAME_BYTES + " bytes fit in a path);"
          + " refusing to restore from this archive");
    }
    for (String segment : name.split("/")) {
      if (segment.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
        throw new ArchiveException.Unsafe(what + ": entry '" + name.substring(0,
            Math.min(80, name.length())) + "...' has a name part that is too long (over "
            + MAX_SEGMENT_BYTES + " bytes); refusing to restore from this archive");
      }
    }
    if (name.indexOf('\0') >= 0) {
      throw new ArchiveException.Unsafe(what + ": entry name holds a NUL byte");
    }
  }
}
