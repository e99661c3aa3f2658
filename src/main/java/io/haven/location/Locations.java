package io.haven.location;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/** Opens the Location a {@link LocationSpec} describes, choosing the protocol by URL scheme. */
public final class Locations {
  private Locations() {}

  /**
   * The key the server of an SFTP location presents, without logging in (no secret is sent);
   * empty for the other kinds, which have no host key. A repository kept over SFTP
   * ({@code restic+sftp://...}) has its server's key too. For {@code locations add} to show a key
   * that is not trusted yet and to pin it on request.
   *
   * @throws LocationException.Unreachable when the server cannot be reached
   */
  public static Optional<HostKey> hostKey(LocationSpec spec) throws IOException {
    String scheme = scheme(spec);
    boolean sftp = scheme.equals("sftp") || scheme.endsWith("+sftp");
    return sftp ? Optional.of(SftpLocation.hostKey(spec)) : Optional.empty();
  }

  private static String scheme(LocationSpec spec) {
    return spec.url().getScheme() == null ? "" : spec.url().getScheme().toLowerCase(Locale.ROOT);
  }

  /**
   * Connects and checks that the location can be used (its directory, share or bucket exists or
   * was created), so a wrong password or host fails here rather than halfway through a backup.
   *
   * @throws LocationException.Misconfigured for an unknown scheme or a missing option
   */
  public static Location open(LocationSpec spec) throws IOException {
    String scheme = scheme(spec);
    switch (scheme) {
      case "file":
        return FileLocation.open(spec);
      case "sftp":
        return SftpLocation.open(spec);
      case "webdav":
      case "webdavs":
        return WebDavLocation.open(spec);
      case "s3":
        return S3Location.open(spec);
      case "smb":
        return SmbLocation.open(spec);
      case "rclone":
        return RcloneLocation.open(spec);
      default:
        throw new LocationException.Misconfigured("Location '" + spec.name() + "' has URL scheme '"
            + scheme + "', which Haven does not know. Use file, sftp, webdav, webdavs, s3, smb or"
            + " rclone.");
    }
  }
}
