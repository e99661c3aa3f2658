package io.haven.location;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.mserref.NtStatus;
import com.hierynomus.msfscc.FileAttributes;
import com.hierynomus.msfscc.fileinformation.FileAllInformation;
import com.hierynomus.msfscc.fileinformation.FileIdBothDirectoryInformation;
import com.hierynomus.msfscc.fileinformation.FileStandardInformation;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2CreateOptions;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.mssmb2.SMBApiException;
import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.SmbConfig;
import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.common.SMBRuntimeException;
import com.hierynomus.smbj.connection.Connection;
import com.hierynomus.smbj.share.DiskShare;
import com.hierynomus.smbj.share.File;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A folder on an SMB share, such as a NAS or a Windows PC
 * ({@code smb://user@host:445/share/path}), logging in with the secret {@code password} and the
 * option {@code domain} if needed. Writes go to a temporary file that the server renames onto the
 * name, replacing an existing one in one step. A dropped connection is re-established on the next
 * call. A write from a {@link ResumableSource} cut off by the network keeps its temporary and
 * continues from the temporary's end on the next call.
 */
public final class SmbLocation implements Location {
  private static final int BUFFER_BYTES = 1024 * 1024;
  private static final long TIMEOUT_SECONDS = 30;

  private final LocationSpec spec;
  private final String host;
  private final int port;
  private final String user;
  private final String shareName;
  private final String dir;
  private SMBClient client;
  private DiskShare share;

  private SmbLocation(LocationSpec spec) throws LocationException {
    this.spec = spec;
    this.host = spec.url().getHost();
    this.port = spec.url().getPort() < 0 ? SMBClient.DEFAULT_PORT : spec.url().getPort();
    this.user = spec.url().getUserInfo();
    String path = spec.url().getPath() == null ? "" : spec.url().getPath();
    String[] parts = path.replaceAll("^/+", "").replaceAll("/+$", "").split("/", 2);
    this.shareName = parts[0];
    this.dir = parts.length > 1 ? parts[1].replace('/', '\\') : "";
    if (host == null || user == null || shareName.isEmpty()
        || spec.secret(LocationSpec.PASSWORD).isEmpty()) {
      throw new LocationException.Misconfigured("Location '" + spec.name() + "' needs a user, a"
          + " host, a share and the secret '" + LocationSpec.PASSWORD
          + "': smb://user@host:445/share/path");
    }
  }

  public static SmbLocation open(LocationSpec spec) throws IOException {
    SmbLocation location = new SmbLocation(spec);
    try {
      location.createFolders();
    } catch (IOException | SMBRuntimeException e) {
      location.close();
      throw location.translate("opening", e);
    }
    return location;
  }

  private void createFolders() throws IOException {
    StringBuilder path = new StringBuilder();
    for (String segment : dir.split("\\\\")) {
      if (segment.isEmpty()) {
        continue;
      }
      path.append(path.length() == 0 ? "" : "\\").append(segment);
      DiskShare disk = share();
      if (!disk.folderExists(path.toString())) {
        disk.mkdir(path.toString());
      }
    }
  }

  /**
   * The share, connecting (again) if there is none or the last connection dropped. A restic
   * repository's packing and checking threads share it, so one of them connects at a time.
   */
  private synchronized DiskShare share() throws IOException {
    if (share != null && share.isConnected()) {
      return share;
    }
    close();
    SmbConfig config = SmbConfig.builder().withTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .withSoTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).build();
    client = new SMBClient(config);
    Connection connection = client.connect(host, port);
    AuthenticationContext login = new AuthenticationContext(user,
        spec.secret(LocationSpec.PASSWORD).orElseThrow().toCharArray(),
        spec.option("domain").orElse(""));
    share = (DiskShare) connection.authenticate(login).connectShare(shareName);
    return share;
  }

  // The share as it is, without connecting: null if there is none or it dropped.
  private synchronized DiskShare connected() {
    return share != null && share.isConnected() ? share : null;
  }

  /**
   * The share's path of {@code name} below the location's folder: an archive's name, or a path
   * of another layout ({@code data/ab/ID}, a restic repository's).
   */
  public String path(String name) {
    String relative = name.replace('/', '\\');
    return dir.isEmpty() ? relative : relative.isEmpty() ? dir : dir + "\\" + relative;
  }

  /**
   * The connected share, for a reader of another layout below {@link #path}; connects again
   * after a drop. Not to be closed.
   */
  public DiskShare session() throws IOException {
    try {
      return share();
    } catch (IOException | SMBRuntimeException e) {
      throw translate("connecting to", e);
    }
  }

  /** A failure of {@link #session()}'s work, as this Location's own failures are reported. */
  public LocationException failure(String doing, Exception e) {
    return translate(doing, e);
  }

  @Override
  public List<ArchiveInfo> list() throws IOException {
    List<ArchiveInfo> found = new ArrayList<>();
    try {
      for (FileIdBothDirectoryInformation entry : share().list(dir)) {
        boolean folder = (entry.getFileAttributes()
            & FileAttributes.FILE_ATTRIBUTE_DIRECTORY.getValue()) != 0;
        if (!folder && Names.isValid(entry.getFileName())) {
          found.add(new ArchiveInfo(entry.getFileName(), entry.getEndOfFile(),
              entry.getLastWriteTime().toInstant()));
        }
      }
    } catch (IOException | SMBRuntimeException e) {
      throw translate("listing", e);
    }
    found.sort(Comparator.comparing(ArchiveInfo::name));
    return List.copyOf(found);
  }

  @Override
  public Optional<ArchiveInfo> stat(String name) throws IOException {
    Names.check(name);
    try {
      FileAllInformation info = share().getFileInformation(path(name));
      if (info.getStandardInformation().isDirectory()) {
        return Optional.empty();
      }
      return Optional.of(new ArchiveInfo(name, info.getStandardInformation().getEndOfFile(),
          info.getBasicInformation().getLastWriteTime().toInstant()));
    } catch (SMBApiException e) {
      if (isNotFound(e.getStatus())) {
        return Optional.empty();
      }
      throw translate("reading the size of '" + name + "' in", e);
    } catch (IOException | SMBRuntimeException e) {
      throw translate("reading the size of '" + name + "' in", e);
    }
  }

  @Override
  public <T> T read(String name, IoFunction<InputStream, T> reader) throws IOException {
    Names.check(name);
    File file;
    try {
      file = share().openFile(path(name), EnumSet.of(AccessMask.GENERIC_READ), null,
          SMB2ShareAccess.ALL, SMB2CreateDisposition.FILE_OPEN,
          EnumSet.of(SMB2CreateOptions.FILE_NON_DIRECTORY_FILE));
    } catch (IOException | SMBRuntimeException e) {
      throw translate("opening '" + name + "' in", e);
    }
    try (file) {
      return reader.apply(GuardedStreams.input(file.getInputStream(), SMBRuntimeException.class,
          e -> translate("reading '" + name + "' from", e)));
    }
  }

  @Override
  public void write(String name, IoConsumer<OutputStream> writer) throws IOException {
    store(Names.check(name), writer);
  }

  /**
   * Writes {@code name} below the location's folder (an archive's name, or a path of another
   * layout whose folders exist) as archives are written: under a temporary name beside it,
   * renamed onto it when complete, so no reader ever sees a partial file.
   */
  public void store(String name, IoConsumer<OutputStream> writer) throws IOException {
    int slash = name.lastIndexOf('/');
    String temp = path(name.substring(0, slash + 1)
        + Temporaries.forName(name.substring(slash + 1)));
    try {
      File file = create(temp, name);
      try {
        upload(file, name, false, writer);
        rename(file, name);
      } finally {
        closeQuietly(file);
      }
    } catch (Throwable e) {
      removeQuietly(temp);
      throw e;
    }
  }

  /**
   * Continues an earlier write of the same source cut off by the network: the temporary it left
   * is opened again, and the source is sent from the temporary's end as the server reports it.
   * The record (size and fingerprint) makes sure the temporary came from this very source; the
   * bytes already there are not read back here, the caller verifies the finished object.
   */
  @Override
  public void write(String name, ResumableSource source, ResumeRecords records)
      throws IOException {
    Names.check(name);
    UnfinishedWrite.write(records, describe(), name, source, stale -> discard(stale, name),
        w -> removeQuietly(path(w.temp())), (write, resumed) -> {
          String temp = path(write.temp());
          File file = resumed ? reopen(temp, name) : create(temp, name);
          try {
            long offset = resumed ? continuableLength(file, name, source) : 0;
            try (InputStream in = source.openAt(offset)) {
              upload(file, name, offset > 0, in::transferTo);
            }
            rename(file, name);
          } finally {
            closeQuietly(file);
          }
        });
  }

  // The source changed since the cut: its bytes on the server belong to another file.
  private void discard(UnfinishedWrite stale, String name) throws IOException {
    if (stale.holdsTemporaryOf(name)) {
      try {
        share().rm(path(stale.temp()));
      } catch (SMBApiException e) {
        if (!isNotFound(e.getStatus())) {
          throw translate("removing the outdated unfinished '" + name + "' from", e);
        }
      } catch (IOException | SMBRuntimeException e) {
        throw translate("removing the outdated unfinished '" + name + "' from", e);
      }
    }
  }

  // Created afresh if the server lost it, for instance when the rename went through unanswered.
  private File reopen(String temp, String name) throws IOException {
    try {
      return share().openFile(temp, EnumSet.of(AccessMask.GENERIC_WRITE, AccessMask.DELETE,
              AccessMask.FILE_READ_ATTRIBUTES),
          EnumSet.of(FileAttributes.FILE_ATTRIBUTE_NORMAL), SMB2ShareAccess.ALL,
          SMB2CreateDisposition.FILE_OPEN_IF,
          EnumSet.of(SMB2CreateOptions.FILE_NON_DIRECTORY_FILE));
    } catch (IOException | SMBRuntimeException e) {
      throw translate("opening the unfinished '" + name + "' in", e);
    }
  }

  /** How much of the temporary can stay: all of it, unless it is longer than the source. */
  private long continuableLength(File file, String name, ResumableSource source)
      throws LocationException {
    try {
      long length = file.getFileInformation(FileStandardInformation.class).getEndOfFile();
      if (length <= source.size()) {
        return length;
      }
      file.setLength(0);
      return 0;
    } catch (SMBRuntimeException e) {
      throw translate("reading the size of the unfinished '" + name + "' in", e);
    }
  }

  private void rename(File file, String name) throws LocationException {
    try {
      // DELETE access on the handle allows the rename; replaceIfExists makes it one step.
      file.rename(path(name), true);
    } catch (SMBRuntimeException e) {
      throw translate("renaming the finished '" + name + "' in", e);
    }
  }

  private static void closeQuietly(File file) {
    try {
      file.close();
    } catch (SMBRuntimeException ignored) {
      // The handle dies with a dropped connection; the server releases it then.
    }
  }

  private File create(String temp, String name) throws IOException {
    try {
      return share().openFile(temp, EnumSet.of(AccessMask.GENERIC_WRITE, AccessMask.DELETE),
          EnumSet.of(FileAttributes.FILE_ATTRIBUTE_NORMAL), SMB2ShareAccess.ALL,
          SMB2CreateDisposition.FILE_CREATE, EnumSet.of(SMB2CreateOptions.FILE_NON_DIRECTORY_FILE));
    } catch (IOException | SMBRuntimeException e) {
      throw translate("creating a temporary for '" + name + "' in", e);
    }
  }

  // Appending continues at the end of file the server reports for the open handle.
  private void upload(File file, String name, boolean append, IoConsumer<OutputStream> writer)
      throws IOException {
    OutputStream out;
    try {
      out = new BufferedOutputStream(file.getOutputStream(append), BUFFER_BYTES);
    } catch (SMBRuntimeException e) {
      throw translate("opening '" + name + "' for writing in", e);
    }
    writer.accept(GuardedStreams.output(out, SMBRuntimeException.class,
        e -> translate("writing '" + name + "' to", e)));
    try {
      out.close();
    } catch (IOException | SMBRuntimeException e) {
      throw translate("writing '" + name + "' to", e);
    }
  }

  private void removeQuietly(String path) {
    try {
      DiskShare connected = connected();
      if (connected != null) {
        connected.rm(path);
      }
    } catch (SMBRuntimeException ignored) {
      // Best effort: the temporary is hidden from list() either way.
    }
  }

  @Override
  public void delete(String name) throws IOException {
    Names.check(name);
    try {
      share().rm(path(name));
    } catch (IOException | SMBRuntimeException e) {
      throw translate("deleting '" + name + "' from", e);
    }
  }

  @Override
  public String describe() {
    return "smb://" + user + "@" + host + ":" + port + "/" + shareName
        + (dir.isEmpty() ? "" : "/" + dir.replace('\\', '/'));
  }

  @Override
  public Capabilities capabilities() {
    return new Capabilities(true, true, true);
  }

  @Override
  public Optional<Long> freeSpace() throws IOException {
    try {
      return Optional.of(share().getShareInformation().getCallerFreeSpace());
    } catch (IOException | SMBRuntimeException e) {
      throw translate("reading the free space of", e);
    }
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close(); // closes its connections, sessions and shares
    }
    client = null;
    share = null;
  }

  private static boolean isNotFound(NtStatus status) {
    return status == NtStatus.STATUS_OBJECT_NAME_NOT_FOUND
        || status == NtStatus.STATUS_OBJECT_PATH_NOT_FOUND
        || status == NtStatus.STATUS_NO_SUCH_FILE
        || status == NtStatus.STATUS_BAD_NETWORK_NAME;
  }

  private LocationException translate(String doing, Exception e) {
    if (e instanceof LocationException le) {
      return le;
    }
    String where = doing + " " + describe();
    if (e instanceof SMBApiException api) {
      NtStatus status = api.getStatus();
      if (status == NtStatus.STATUS_LOGON_FAILURE || status == NtStatus.STATUS_ACCOUNT_DISABLED
          || status == NtStatus.STATUS_PASSWORD_EXPIRED) {
        return new LocationException.AuthenticationFailed("Login as '" + user + "' was refused"
            + " when " + where + " (" + status + "). Check the password of location '"
            + spec.name() + "'.", e);
      }
      if (isNotFound(status)) {
        return new LocationException.NotFound("Not found: " + where + " (" + status + ").", e);
      }
      return new LocationException.Refused("The server refused " + where + " (" + status
          + "). Check the user's permissions on the share and its free space.", e);
    }
    close(); // the connection is in doubt: the next call connects afresh
    return new LocationException.Unreachable("Lost the connection " + where + ": "
        + e.getMessage() + ". Check that the server is up and reachable; trying again may help.",
        e);
  }

  @Override
  public String toString() {
    return "Smb(" + describe() + ")";
  }
}
