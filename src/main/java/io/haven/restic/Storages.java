package io.haven.restic;

import io.haven.location.LocationException;
import io.haven.location.LocationSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Opens the {@link Storage} a location's URL names: file, sftp, s3, webdav(s), smb or rclone,
 * over the storage code the archive locations use.
 */
public final class Storages {
  private Storages() {}

  /**
   * Connects with the spec's settings and secrets. {@code spec}'s URL is the storage's own
   * ({@code file:///srv/vault}, {@code sftp://user@host/path}, {@code s3://bucket/prefix},
   * {@code webdav://user@host:port/path}, {@code smb://user@host/share/path},
   * {@code rclone:remote:path}).
   *
   * @throws LocationException.Misconfigured for another kind of storage
   */
  public static Storage open(LocationSpec spec) throws IOException {
    String scheme = spec.url().getScheme() == null ? ""
        : spec.url().getScheme().toLowerCase(Locale.ROOT);
    // Remote reads are round trips: there, a read of a pack fetches ahead.
    switch (scheme) {
      case "file":
        return new FileStorage(Path.of(spec.url().getPath()));
      case "sftp":
        return new ReadAhead(SftpStorage.open(spec));
      case "s3":
        return new ReadAhead(S3Storage.open(spec));
      case "webdav":
      case "webdavs":
        return new ReadAhead(WebDavStorage.open(spec));
      case "smb":
        return new ReadAhead(SmbStorage.open(spec));
      case "rclone":
        return new ReadAhead(RcloneStorage.open(spec));
      default:
        throw new LocationException.Misconfigured("Location '" + spec.name() + "' keeps a"
            + " restic repository on '" + scheme + "', which Haven cannot yet: use restic+file,"
            + " restic+sftp, restic+s3, restic+webdav, restic+webdavs, restic+smb or"
            + " restic+rclone.");
    }
  }
}
