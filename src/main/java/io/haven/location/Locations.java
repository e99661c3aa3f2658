package io.haven.location;

import java.io.IOException;
import java.util.Locale;

/** Opens the Location a {@link LocationSpec} describes, choosing the protocol by URL scheme. */
public final class Locations {
  private Locations() {}

  /**
   * Connects and checks that the location can be used (its directory, share or bucket exists or
   * was created), so a wrong password or host fails here rather than halfway through a backup.
   *
   * @throws LocationException.Misconfigured for an unknown scheme or a missing option
   */
  public static Location open(LocationSpec spec) throws IOException {
    String scheme = spec.url().getScheme() == null
        ? "" : spec.url().getScheme().toLowerCase(Locale.ROOT);
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
