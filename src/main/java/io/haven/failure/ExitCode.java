package io.haven.failure;

/**
 * Haven's exit codes. Codes are added, never reused: scripts depend on them (README lists them).
 */
public final class ExitCode {
  public static final int OK = 0;
  /** A bug: the stack trace is printed; please report it. */
  public static final int BUG = 1;
  /** The command line was not understood. */
  public static final int USAGE = 2;
  /** Done, with warnings (a file changed or vanished while it was read). */
  public static final int WARNINGS = 3;
  /** No backup, part or file of that name. */
  public static final int NOT_FOUND = 4;
  /** Another backup or restore is running. */
  public static final int BUSY = 5;
  /** Not enough free space to start or finish. */
  public static final int NO_SPACE = 6;
  /** The configuration file or environment is invalid. */
  public static final int CONFIG = 7;
  /** A restore preflight found a problem that must be fixed first. */
  public static final int PREFLIGHT = 8;
  /** The archive is damaged or not a backup. */
  public static final int CORRUPT = 10;
  /** The password is wrong, or a password is needed and none was given. */
  public static final int PASSWORD = 11;
  /** The archive uses a format or version Haven does not read. */
  public static final int UNSUPPORTED = 12;
  /** The archive holds an entry that would write outside its place (.., absolute, links, devices). */
  public static final int UNSAFE = 13;
  /** A storage location could not be reached or refused the operation. */
  public static final int LOCATION = 14;
  /** The job was cancelled (Haven is stopping, or someone asked); nothing it wrote was kept. */
  public static final int CANCELLED = 15;
  /** A configured service command (stop, start, restart, health) failed or timed out. */
  public static final int HOOK = 16;
  /** A folder Haven must write to (backup directory, data root) is on a read-only file system. */
  public static final int READ_ONLY = 17;

  private ExitCode() {}
}
