package io.haven.archive;

/** The messages SecureTar fails with: what failed, on which part, and what to do next. */
final class SecureTarFailures {
  private SecureTarFailures() {}

  /** "Cannot decrypt <what> (SecureTar v3): <reason>; the archive is damaged; use another copy." */
  static ArchiveException.Corrupt damaged(String what, String format, String reason) {
    return new ArchiveException.Corrupt(
        "Cannot decrypt "
            + what
            + " ("
            + format
            + "): "
            + reason
            + "; the archive is damaged; use another copy.");
  }

  static ArchiveException.WrongPassword wrongPassword(String what, String format) {
    return new ArchiveException.WrongPassword(
        "Wrong password for "
            + what
            + " ("
            + format
            + "). Check the password; the backup is unchanged.");
  }
}
