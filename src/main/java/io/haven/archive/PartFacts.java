package io.haven.archive;

/**
 * What Haven records about one part under {@code extra.haven.parts}, so that verify and a preflight
 * need not trust the archive blindly: the inner tar stream's length and SHA-256 (before compression,
 * so they survive an export into another compression), the files and file bytes it holds, and the
 * bytes the member takes in the outer tar.
 */
public record PartFacts(long tarSize, String sha256, long files, long fileBytes, long stored) {
  public PartFacts {
    if (tarSize < 0 || files < 0 || fileBytes < 0 || stored < 0) {
      throw new IllegalArgumentException("negative part size");
    }
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits: " + sha256);
    }
  }
}
