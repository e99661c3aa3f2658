package io.haven.archive;

/** The rules an entry name inside a part must follow before anything is written for it. */
public final class EntryNames {
  private EntryNames() {}

  /**
   * Fails with {@link ArchiveException.Unsafe} for a name that would land outside its part: an
   * absolute path, or one with a ".." segment. Both are refused, not rewritten, as Python's tarfile
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
    if (name.indexOf('\0') >= 0) {
      throw new ArchiveException.Unsafe(what + ": entry name holds a NUL byte");
    }
  }
}
