package io.haven.restic;

import io.haven.archive.ArchiveException;

/** What a blob holds: file content or a tree (a directory listing as JSON). */
public enum BlobType {
  DATA("data"),
  TREE("tree");

  private final String json;

  BlobType(String json) {
    this.json = json;
  }

  /** The name in index files. */
  String json() {
    return json;
  }

  static BlobType ofJson(String name) throws ArchiveException {
    for (BlobType t : values()) {
      if (t.json.equals(name)) {
        return t;
      }
    }
    throw new ArchiveException.Corrupt("Unknown blob type '" + name
        + "' in an index file.");
  }
}
