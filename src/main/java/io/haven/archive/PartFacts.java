package io.haven.archive;

/**
 * What Haven records about one part under {@code extra.haven.parts}, so that verify and a preflight
 * need not trust the archive blindly: the inner tar stream's length and SHA-256 (before compression,
 * so they survive an export into another compression), the files and file bytes it holds, and the
 * bytes the member takes in the outer tar. For a protected part the digest is {@code keyed}: an
 * HMAC-SHA256 with a key from the part's own key (recorded as {@code hmac_sha256}), because a
 * plain SHA-256 in the clear would confirm a guess at a small part such as ssl.
 */
public record PartFacts(long tarSize, String sha256, long files, long fileBytes, long stored,
    boolean keyed) {
  /** Facts with a plain SHA-256, as for an unprotected part (and every part before keyed ones). */
  public PartFacts(long tarSize, String sha256, long files, long fileBytes, long stored) {
    this(tarSize, sha256, files, fileBytes, stored, false);
  }

  public PartFacts {
    if (tarSize < 0 || files < 0 || fileBytes < 0 || stored < 0) {
      throw new IllegalArgumentException("negative part size");
    }
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits: " + sha256);
    }
  }
}
