package io.haven.restic;

/**
 * Where one blob is stored: its pack, the offset and encrypted length there, and the length of
 * its plaintext when it is compressed (0 when it is not).
 */
record BlobEntry(Id id, BlobType type, Id pack, long offset, int length, int rawLength) {
  BlobEntry {
    if (offset < 0 || length < Crypto.OVERHEAD || rawLength < 0) {
      throw new IllegalArgumentException("blob " + id + ": offset " + offset + ", length " + length);
    }
  }

  boolean compressed() {
    return rawLength > 0;
  }

  /** The plaintext's length. */
  int plainLength() {
    return compressed() ? rawLength : length - Crypto.OVERHEAD;
  }
}
