package io.haven.restic;

import io.haven.location.IoConsumer;
import io.haven.location.LocationSpec;
import io.haven.location.SftpLocation;
import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumSet;
import java.util.List;
import net.schmizz.sshj.sftp.FileMode;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.RemoteResourceInfo;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPException;

/**
 * A repository in a directory of an SFTP server, laid out as restic's sftp backend lays it out
 * (the local layout). The session, host key and login are the SFTP location's, and so is the
 * writing of a new file: under a hidden temporary name beside its own, renamed when complete.
 */
public final class SftpStorage extends StreamedStorage<SftpLocation> {
  private SftpStorage(SftpLocation location) {
    super(location);
  }

  /** Connects with the location's settings and secrets; the directory is made if missing. */
  public static SftpStorage open(LocationSpec spec) throws IOException {
    return new SftpStorage(SftpLocation.open(spec));
  }

  private String path(String name) {
    String dir = location.directory();
    return name.isEmpty() ? dir : dir + "/" + Layout.check(name);
  }

  // SFTP has no fsync in its base protocol; OpenSSH's server writes through to its disk on
  // close, and the rename makes the complete file appear in one step.
  @Override
  void store(String name, IoConsumer<OutputStream> body) throws IOException {
    String target = path(name);
    try {
      location.session().mkdirs(target.substring(0, target.lastIndexOf('/')));
    } catch (IOException e) {
      throw location.failure("making the directory of " + name + " in", e);
    }
    location.store(target, body);
  }

  @Override
  public byte[] get(String name) throws IOException {
    try (RemoteFile file = open(name)) {
      return Layout.readFully(this, name, 0, Layout.smallFileSize(this, name, file.length()),
          reader(file, name));
    }
  }

  @Override
  public byte[] readUpTo(String name, long offset, int most) throws IOException {
    try (RemoteFile file = open(name)) {
      return Layout.readUpTo(offset, most, reader(file, name));
    }
  }

  private RemoteFile open(String name) throws IOException {
    try {
      return location.session().open(path(name), EnumSet.of(OpenMode.READ));
    } catch (SFTPException e) {
      if (e.getStatusCode() == Response.StatusCode.NO_SUCH_FILE) {
        throw Layout.notFound(this, name, e);
      }
      throw location.failure("opening " + name + " in", e);
    } catch (IOException e) {
      throw location.failure("opening " + name + " in", e);
    }
  }

  private Layout.ReadAt reader(RemoteFile file, String name) {
    return (at, into, from, n) -> {
      try {
        return file.read(at, into, from, n);
      } catch (IOException e) {
        throw location.failure("reading " + name + " from", e);
      }
    };
  }

  @Override
  public void list(String dir, IoConsumer<Entry> each) throws IOException {
    List<RemoteResourceInfo> found = ls(dir);
    for (RemoteResourceInfo info : found) {
      String name = Layout.child(dir, info.getName());
      if (Layout.hidden(name)) {
        continue;
      }
      if (dir.equals("data") && info.getAttributes().getType() == FileMode.Type.DIRECTORY) {
        list(name, each); // data/ab/: one directory listing at a time
      } else if (info.getAttributes().getType() == FileMode.Type.REGULAR) {
        each.accept(new Entry(name, info.getAttributes().getSize()));
      }
    }
  }

  private List<RemoteResourceInfo> ls(String dir) throws IOException {
    try {
      return location.session().ls(path(dir));
    } catch (SFTPException e) {
      if (e.getStatusCode() == Response.StatusCode.NO_SUCH_FILE) {
        return List.of();
      }
      throw location.failure("listing " + dir + " in", e);
    } catch (IOException e) {
      throw location.failure("listing " + dir + " in", e);
    }
  }

  @Override
  public void delete(String name) throws IOException {
    try {
      location.session().rm(path(name));
    } catch (SFTPException e) {
      if (e.getStatusCode() != Response.StatusCode.NO_SUCH_FILE) {
        throw location.failure("deleting " + name + " from", e);
      }
    } catch (IOException e) {
      throw location.failure("deleting " + name + " from", e);
    }
  }

  @Override
  public boolean exists(String name) throws IOException {
    try {
      return location.session().statExistence(path(name)) != null;
    } catch (IOException e) {
      throw location.failure("looking for " + name + " in", e);
    }
  }

  /** Creates the directories restic's sftp backend creates at init. */
  @Override
  public void createLayout() throws IOException {
    try {
      SFTPClient sftp = location.session();
      for (String d : Layout.DIRECTORIES) {
        sftp.mkdirs(path(d));
      }
    } catch (IOException e) {
      throw location.failure("making the repository's directories in", e);
    }
  }

}
