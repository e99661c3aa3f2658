package io.haven.location;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.FileMode;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.RemoteResourceInfo;
import net.schmizz.sshj.sftp.Request;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPEngine;
import net.schmizz.sshj.sftp.SFTPException;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.transport.verification.FingerprintVerifier;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.userauth.UserAuthException;

/**
 * A directory on an SSH server, through SFTP ({@code sftp://user@host:22/path}). Authenticates
 * with the secret {@code keyFile} (and {@code keyPassphrase}) or {@code password}. The server's
 * host key must be trusted: pin it with the option {@code hostKey=SHA256:...}, or name a
 * {@code knownHosts} file; otherwise {@code ~/.ssh/known_hosts} is used. Writes go to a temporary
 * file renamed with OpenSSH's atomic {@code posix-rename} where the server offers it. A dropped
 * connection is re-established on the next call. A write from a {@link ResumableSource} cut off by
 * the network keeps its temporary and continues from its end on the next call.
 */
public final class SftpLocation implements Location {
  /** SFTP write requests in flight at once: fills the pipe on a slow link, bounded memory. */
  private static final int PIPELINED_REQUESTS = 16;
  private static final int BUFFER_BYTES = 32 * 1024;
  private static final int TIMEOUT_MS = 30_000;

  private final LocationSpec spec;
  private final String host;
  private final int port;
  private final String user;
  private final String dir;
  private SSHClient ssh;
  private SFTPClient sftp;

  private SftpLocation(LocationSpec spec) throws LocationException {
    this(spec, true);
  }

  // Asking for the host key needs no login, so no secret either.
  private SftpLocation(LocationSpec spec, boolean login) throws LocationException {
    this.spec = spec;
    this.host = spec.url().getHost();
    this.port = spec.url().getPort() < 0 ? 22 : spec.url().getPort();
    this.user = spec.url().getUserInfo();
    String path = spec.url().getPath();
    this.dir = path == null || path.isEmpty() || path.equals("/") ? "." : stripSlash(path);
    if (host == null || user == null) {
      throw new LocationException.Misconfigured("Location '" + spec.name() + "' needs a user and a"
          + " host: sftp://user@host:22/path");
    }
    if (login && spec.secret(LocationSpec.KEY_FILE).isEmpty()
        && spec.secret(LocationSpec.PASSWORD).isEmpty()) {
      throw new LocationException.Misconfigured("Location '" + spec.name() + "' needs the secret '"
          + LocationSpec.KEY_FILE + "' or '" + LocationSpec.PASSWORD + "' to log in.");
    }
  }

  /** Opens the location; see {@link Locations#open}. */
  public static SftpLocation open(LocationSpec spec) throws IOException {
    SftpLocation location = new SftpLocation(spec);
    try {
      location.client().mkdirs(location.dir);
    } catch (IOException e) {
      location.closeQuietly();
      throw location.translate("creating the directory of", e);
    }
    return location;
  }

  /** The host key the server presents, checked against the pin or known hosts; no login. */
  static HostKey hostKey(LocationSpec spec) throws IOException {
    SftpLocation location = new SftpLocation(spec, false);
    PinnedOrKnown verifier = new PinnedOrKnown(location.hostKeyVerifier(), true);
    try (SSHClient client = new SSHClient(new DefaultConfig())) {
      client.addHostKeyVerifier(verifier);
      client.setConnectTimeout(TIMEOUT_MS);
      client.setTimeout(TIMEOUT_MS);
      client.connect(location.host, location.port);
    } catch (IOException e) {
      throw location.translate("asking for the host key of", e);
    }
    return verifier.presented;
  }

  private static String stripSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private String path(String name) {
    return dir + "/" + name;
  }

  /**
   * The SFTP session, connecting (again) if there is none or the last one dropped. A restic
   * repository's packing and checking threads share it, so one of them connects at a time.
   */
  private synchronized SFTPClient client() throws IOException {
    if (sftp != null && ssh.isConnected() && ssh.isAuthenticated()) {
      return sftp;
    }
    closeQuietly();
    SSHClient client = new SSHClient(new DefaultConfig());
    PinnedOrKnown verifier = new PinnedOrKnown(hostKeyVerifier(), false);
    client.addHostKeyVerifier(verifier);
    client.setConnectTimeout(TIMEOUT_MS);
    client.setTimeout(TIMEOUT_MS);
    try {
      client.connect(host, port);
      login(client);
      sftp = client.newSFTPClient();
      sftp.getSFTPEngine().setTimeoutMs(TIMEOUT_MS);
      ssh = client;
      return sftp;
    } catch (TransportException e) {
      client.close();
      if (verifier.rejected != null) {
        throw new LocationException.Refused("The host key of " + describe() + " is not trusted"
            + " (it is " + verifier.rejected + "). If that is the server's key, trust it with:"
            + " haven locations set " + spec.name() + " --trust-host-key", e);
      }
      throw e;
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  // The session as it is, without connecting: null if there is none or it dropped.
  private synchronized SFTPClient connected() {
    return sftp != null && ssh.isConnected() ? sftp : null;
  }

  private HostKeyVerifier hostKeyVerifier() throws IOException {
    Optional<String> pinned = spec.option("hostKey");
    if (pinned.isPresent()) {
      return FingerprintVerifier.getInstance(pinned.get());
    }
    File knownHosts = spec.option("knownHosts").map(File::new)
        .orElseGet(() -> new File(System.getProperty("user.home"), ".ssh/known_hosts"));
    return new OpenSSHKnownHosts(knownHosts);
  }

  private void login(SSHClient client) throws IOException {
    Optional<String> keyFile = spec.secret(LocationSpec.KEY_FILE);
    if (keyFile.isPresent()) {
      Optional<String> passphrase = spec.secret(LocationSpec.KEY_PASSPHRASE);
      client.authPublickey(user, passphrase.isPresent()
          ? client.loadKeys(keyFile.get(), passphrase.get().toCharArray())
          : client.loadKeys(keyFile.get()));
    } else {
      client.authPassword(user, spec.secret(LocationSpec.PASSWORD).orElseThrow());
    }
  }

  @Override
  public List<ArchiveInfo> list() throws IOException {
    List<ArchiveInfo> found = new ArrayList<>();
    try {
      for (RemoteResourceInfo entry : client().ls(dir)) {
        if (entry.isRegularFile() && Names.isValid(entry.getName())) {
          found.add(info(entry.getName(), entry.getAttributes()));
        }
      }
    } catch (IOException e) {
      throw translate("listing", e);
    }
    found.sort(Comparator.comparing(ArchiveInfo::name));
    return List.copyOf(found);
  }

  private static ArchiveInfo info(String name, FileAttributes attrs) {
    return new ArchiveInfo(name, attrs.getSize(), Instant.ofEpochSecond(attrs.getMtime()));
  }

  @Override
  public Optional<ArchiveInfo> stat(String name) throws IOException {
    Names.check(name);
    try {
      FileAttributes attrs = client().statExistence(path(name));
      if (attrs == null || attrs.getType() != FileMode.Type.REGULAR) {
        return Optional.empty();
      }
      return Optional.of(info(name, attrs));
    } catch (IOException e) {
      throw translate("reading the size of '" + name + "' in", e);
    }
  }

  @Override
  public <T> T read(String name, IoFunction<InputStream, T> reader) throws IOException {
    Names.check(name);
    RemoteFile file;
    try {
      file = client().open(path(name), EnumSet.of(OpenMode.READ));
    } catch (IOException e) {
      throw translate("opening '" + name + "' in", e);
    }
    try (file) {
      InputStream in = file.new ReadAheadRemoteFileInputStream(PIPELINED_REQUESTS);
      return reader.apply(GuardedStreams.input(in, e -> translate("reading '" + name + "' from",
          e)));
    }
  }

  @Override
  public void write(String name, IoConsumer<OutputStream> writer) throws IOException {
    Names.check(name);
    // Write under a temporary name first, so no reader ever sees a partial archive.
    String temp = path(Temporaries.forName(name));
    try {
      upload(temp, name, writer);
      rename(temp, path(name));
    } catch (Throwable e) {
      removeQuietly(temp);
      throw e;
    }
  }

  /**
   * Continues an earlier write of the same source cut off by the network: the temporary it left
   * is kept, if it is no longer than the source, and the source is sent from its end. The record
   * (size and fingerprint) makes sure the temporary came from this very source; when the source
   * changed since, the write starts over and the old temporary is removed from the server.
   */
  @Override
  public void write(String name, ResumableSource source, ResumeRecords records)
      throws IOException {
    Names.check(name);
    UnfinishedWrite.write(records, describe(), name, source, stale -> discard(stale, name),
        w -> removeQuietly(path(w.temp())), (write, resumed) -> {
          String temp = path(write.temp());
          long offset = resumed ? resumeOffset(temp, name, source) : 0;
          try (InputStream in = source.openAt(offset)) {
            upload(temp, name, offset, in::transferTo);
          }
          rename(temp, path(name));
        });
  }

  // The source changed since the cut: its bytes on the server belong to another file.
  private void discard(UnfinishedWrite stale, String name) throws IOException {
    if (!stale.holdsTemporaryOf(name)) {
      return; // the record is a local file that could have been edited: remove only our names
    }
    try {
      SFTPClient client = client();
      if (client.statExistence(path(stale.temp())) != null) {
        client.rm(path(stale.temp()));
      }
    } catch (IOException e) {
      throw translate("removing the outdated unfinished '" + name + "' from", e);
    }
  }

  private long resumeOffset(String temp, String name, ResumableSource source)
      throws IOException {
    try {
      FileAttributes attrs = client().statExistence(temp);
      return attrs != null && attrs.getSize() <= source.size() ? attrs.getSize() : 0;
    } catch (IOException e) {
      throw translate("looking for the unfinished '" + name + "' in", e);
    }
  }

  private void upload(String temp, String name, IoConsumer<OutputStream> writer)
      throws IOException {
    upload(temp, name, 0, writer);
  }

  // From offset 0 the temporary is truncated; from a later offset it is appended to.
  private void upload(String temp, String name, long offset, IoConsumer<OutputStream> writer)
      throws IOException {
    RemoteFile file;
    try {
      file = client().open(temp, offset == 0
          ? EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.TRUNC)
          : EnumSet.of(OpenMode.WRITE));
    } catch (IOException e) {
      throw translate("creating a temporary for '" + name + "' in", e);
    }
    try (file) {
      OutputStream out = new BufferedOutputStream(
          sliced(file.new RemoteFileOutputStream(offset, PIPELINED_REQUESTS)), BUFFER_BYTES);
      writer.accept(GuardedStreams.output(out, e -> translate("writing '" + name + "' to", e)));
      try {
        out.close(); // waits for every write request to be acknowledged
      } catch (IOException e) {
        throw translate("writing '" + name + "' to", e);
      }
    }
  }

  /**
   * Writes the file {@code path} (a server path, for another layout below {@link #directory()})
   * as archives are written: under a temporary name beside it, renamed when complete.
   */
  public void store(String path, IoConsumer<OutputStream> writer) throws IOException {
    int slash = path.lastIndexOf('/');
    String temp = path.substring(0, slash + 1) + Temporaries.forName(path.substring(slash + 1));
    try {
      upload(temp, path, writer);
      rename(temp, path);
    } catch (Throwable e) {
      removeQuietly(temp);
      throw e;
    }
  }

  /**
   * sshj sends each write as one request, and a BufferedOutputStream passes a write larger than
   * its buffer straight on: a 256 KiB write became a packet OpenSSH refuses (its limit is 256 KiB
   * with the header), and it closes the channel. Writes go on in slices of the buffer's size.
   */
  private static OutputStream sliced(OutputStream remote) {
    return new java.io.FilterOutputStream(remote) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        for (int done = 0; done < len; ) {
          int n = Math.min(BUFFER_BYTES, len - done);
          out.write(b, off + done, n);
          done += n;
        }
      }
    };
  }

  private void rename(String from, String to) throws IOException {
    try {
      SFTPClient client = client();
      SFTPEngine engine = client.getSFTPEngine();
      if (engine.supportsServerExtension("posix-rename", "openssh.com")) {
        // Plain SFTP v3 rename fails when the target exists; posix-rename replaces it atomically.
        Request request = engine.newExtendedRequest("posix-rename@openssh.com");
        request.putString(from, engine.getSubsystem().getRemoteCharset());
        request.putString(to, engine.getSubsystem().getRemoteCharset());
        Response response = engine.request(request).retrieve(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        response.ensureStatusPacketIsOK();
        return;
      }
      if (client.statExistence(to) != null) {
        client.rm(to);
      }
      client.rename(from, to);
    } catch (IOException e) {
      throw translate("renaming the finished " + to + " in", e);
    }
  }

  private void removeQuietly(String path) {
    try {
      SFTPClient client = connected();
      if (client != null) {
        client.rm(path);
      }
    } catch (IOException ignored) {
      // Best effort: the temporary is hidden from list() either way.
    }
  }

  @Override
  public void delete(String name) throws IOException {
    Names.check(name);
    try {
      client().rm(path(name));
    } catch (IOException e) {
      throw translate("deleting '" + name + "' from", e);
    }
  }

  /**
   * The logged-in SFTP session, for a reader of another layout below {@link #directory()} (a
   * restic repository's subdirectories); connects again after a drop. Not to be closed.
   */
  public SFTPClient session() throws IOException {
    try {
      return client();
    } catch (IOException e) {
      throw translate("connecting to", e);
    }
  }

  /** The location's directory on the server, as SFTP paths name it. */
  public String directory() {
    return dir;
  }

  /** A failure of {@link #session()}'s work, as this Location's own failures are reported. */
  public LocationException failure(String doing, Exception e) {
    return translate(doing, e);
  }

  @Override
  public String describe() {
    return "sftp://" + user + "@" + host + ":" + port + (dir.startsWith("/") ? "" : "/") + dir;
  }

  @Override
  public Capabilities capabilities() {
    SFTPClient client = connected();
    boolean atomic = client != null
        && client.getSFTPEngine().supportsServerExtension("posix-rename", "openssh.com");
    return new Capabilities(atomic, false, true);
  }

  @Override
  public void close() {
    closeQuietly();
  }

  private synchronized void closeQuietly() {
    try {
      if (sftp != null) {
        sftp.close();
      }
      if (ssh != null) {
        ssh.close();
      }
    } catch (IOException ignored) {
      // Closing a dead connection fails; there is nothing left to release.
    } finally {
      sftp = null;
      ssh = null;
    }
  }

  private LocationException translate(String doing, Exception e) {
    if (e instanceof LocationException le) {
      return le;
    }
    String where = doing + " " + describe();
    if (e instanceof UserAuthException) {
      return new LocationException.AuthenticationFailed("Login as '" + user + "' was refused when "
          + where + ". Check the password or key of location '" + spec.name() + "'.", e);
    }
    if (e instanceof SFTPException sftpFailure && sftpFailure.getStatusCode() != null) {
      switch (sftpFailure.getStatusCode()) {
        case NO_SUCH_FILE:
          return new LocationException.NotFound("Not found: " + where + ".", e);
        case PERMISSION_DENIED:
          return new LocationException.Refused("Permission denied " + where + ". Let user '" + user
              + "' write to that directory.", e);
        case FAILURE:
        case OP_UNSUPPORTED:
          return new LocationException.Refused("The server refused " + where + ": "
              + e.getMessage() + ". Check its free space and permissions.", e);
        default:
          break;
      }
    }
    // Anything else is the connection: drop it so the next call connects afresh.
    closeQuietly();
    return new LocationException.Unreachable("Lost the connection " + where + ": " + e.getMessage()
        + ". Check that the server is up and reachable; trying again may help.", e);
  }

  @Override
  public String toString() {
    return "Sftp(" + describe() + ")";
  }

  /**
   * Remembers the fingerprint of a rejected host key, so the message can show it. When only
   * asking for the key, every key is let through to end the handshake (the caller logs in with
   * nothing and closes), and the key with its verdict is kept.
   */
  private static final class PinnedOrKnown implements HostKeyVerifier {
    private final HostKeyVerifier delegate;
    private final boolean onlyAsking;
    private String rejected;
    private HostKey presented;

    PinnedOrKnown(HostKeyVerifier delegate, boolean onlyAsking) {
      this.delegate = delegate;
      this.onlyAsking = onlyAsking;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
      boolean trusted = delegate.verify(hostname, port, key);
      presented = new HostKey(sha256(key), KeyType.fromKey(key).toString(), trusted);
      if (trusted || onlyAsking) {
        return true;
      }
      rejected = presented.fingerprint();
      return false;
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
      return delegate.findExistingAlgorithms(hostname, port);
    }

    /** OpenSSH's notation: {@code SHA256:} and the unpadded base64 of the key blob's digest. */
    private static String sha256(PublicKey key) {
      byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
    }
  }
}
