package io.haven.restic;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.msfscc.FileAttributes;
import com.hierynomus.msfscc.fileinformation.FileIdBothDirectoryInformation;
import com.hierynomus.msfscc.fileinformation.FileStandardInformation;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2CreateOptions;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.smbj.common.SMBRuntimeException;
import com.hierynomus.smbj.share.DiskShare;
import com.hierynomus.smbj.share.File;
import io.haven.location.IoConsumer;
import io.haven.location.LocationException;
import io.haven.location.LocationSpec;
import io.haven.location.SmbLocation;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumSet;
import java.util.List;

/**
 * A repository in a folder of an SMB share, laid out as restic's local backend lays it out. The
 * connection and login are the SMB location's, and so is the writing of a new file: under a
 * hidden temporary name beside its own, renamed onto it by the server when complete. Parts of a
 * pack are read at their offset.
 */
public final class SmbStorage extends StreamedStorage<SmbLocation> {
  private SmbStorage(SmbLocation location) {
    super(location);
  }

  /** Connects with the location's settings and secrets; the folder is made if missing. */
  public static SmbStorage open(LocationSpec spec) throws IOException {
    return new SmbStorage(SmbLocation.open(spec));
  }

  /** One piece of work on the share, whose failures are the location's. */
  private interface Work<T> {
    T on(DiskShare share) throws IOException;
  }

  private <T> T call(String doing, Work<T> work) throws IOException {
    try {
      return work.on(location.session());
    } catch (LocationException | EOFException e) {
      throw e; // already said in the repository's words
    } catch (IOException | SMBRuntimeException e) {
      throw location.failure(doing, e);
    }
  }

  private String path(String name) {
    return location.path(Layout.check(name));
  }

  @Override
  void store(String name, IoConsumer<OutputStream> body) throws IOException {
    Layout.storeInFolders(name, n -> location.store(n, body), this::mkdir);
  }

  private void mkdir(String dir) throws IOException {
    call("making the folder " + dir + " in", share -> {
      if (!share.folderExists(path(dir))) {
        share.mkdir(path(dir));
      }
      return null;
    });
  }

  @Override
  public byte[] get(String name) throws IOException {
    return read(name, file -> {
      long size = file.getFileInformation(FileStandardInformation.class).getEndOfFile();
      return Layout.readFully(this, name, 0, Layout.smallFileSize(this, name, size),
          reader(file));
    });
  }

  @Override
  public byte[] readUpTo(String name, long offset, int most) throws IOException {
    return read(name, file -> Layout.readUpTo(offset, most, reader(file)));
  }

  private interface Reading {
    byte[] from(File file) throws IOException;
  }

  private byte[] read(String name, Reading reading) throws IOException {
    try {
      return call("reading " + name + " from", share -> {
        try (File file = share.openFile(path(name), EnumSet.of(AccessMask.GENERIC_READ), null,
            SMB2ShareAccess.ALL, SMB2CreateDisposition.FILE_OPEN,
            EnumSet.of(SMB2CreateOptions.FILE_NON_DIRECTORY_FILE))) {
          return reading.from(file);
        }
      });
    } catch (LocationException.NotFound e) {
      throw Layout.notFound(this, name, e);
    }
  }

  private static Layout.ReadAt reader(File file) {
    return (at, into, from, n) -> file.read(into, at, from, n);
  }

  @Override
  public void list(String dir, IoConsumer<Entry> each) throws IOException {
    List<FileIdBothDirectoryInformation> found;
    try {
      found = call("listing " + dir + " in", share -> share.list(path(dir)));
    } catch (LocationException.NotFound e) {
      return;
    }
    for (FileIdBothDirectoryInformation info : found) {
      String name = Layout.child(dir, info.getFileName());
      if (Layout.hidden(name)) {
        continue; // also the listing's "." and ".."
      }
      boolean folder = (info.getFileAttributes()
          & FileAttributes.FILE_ATTRIBUTE_DIRECTORY.getValue()) != 0;
      if (!folder) {
        each.accept(new Entry(name, info.getEndOfFile()));
      } else if (dir.equals("data")) {
        list(name, each); // data/ab/: one folder's listing at a time
      }
    }
  }

  @Override
  public void delete(String name) throws IOException {
    try {
      call("deleting " + name + " from", share -> {
        share.rm(path(name));
        return null;
      });
    } catch (LocationException.NotFound e) {
      // Removed already, as the contract allows.
    }
  }

  @Override
  public boolean exists(String name) throws IOException {
    return call("looking for " + name + " in", share -> share.fileExists(path(name)));
  }

  /** Creates the folders restic's local backend creates at init. */
  @Override
  public void createLayout() throws IOException {
    for (String d : Layout.DIRECTORIES) {
      mkdir(d);
    }
  }

}
