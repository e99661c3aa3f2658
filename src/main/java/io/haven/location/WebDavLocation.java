package io.haven.location;

import com.github.sardine.DavResource;
import com.github.sardine.impl.SardineException;
import com.github.sardine.impl.SardineImpl;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.entity.AbstractHttpEntity;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;

/**
 * A folder on a WebDAV server such as Nextcloud, Apache mod_dav or {@code rclone serve webdav}
 * ({@code webdav://user@host:port/path} over HTTP, {@code webdavs://} over HTTPS), logging in with
 * the secret {@code password}. An upload streams as one chunked PUT to a temporary name, then a
 * MOVE with {@code Overwrite: T} puts it under its name; the server renames in one step.
 */
public final class WebDavLocation implements Location {
  private static final int TIMEOUT_MS = 30_000;
  private static final int VALIDATE_AFTER_MS = 1;

  private final LocationSpec spec;
  private final String user;
  private final URI base;
  private final SardineImpl sardine;

  private WebDavLocation(LocationSpec spec, String user, URI base, SardineImpl sardine) {
    this.spec = spec;
    this.user = user;
    this.base = base;
    this.sardine = sardine;
  }

  public static WebDavLocation open(LocationSpec spec) throws IOException {
    URI url = spec.url();
    String user = url.getUserInfo();
    if (url.getHost() == null || user == null || spec.secret(LocationSpec.PASSWORD).isEmpty()) {
      throw new LocationException.Misconfigured("Location '" + spec.name() + "' needs a user, a"
          + " host and the secret '" + LocationSpec.PASSWORD + "': webdav://user@host:port/path");
    }
    boolean https = url.getScheme().equalsIgnoreCase("webdavs");
    int port = url.getPort() < 0 ? (https ? 443 : 80) : url.getPort();
    String path = url.getPath() == null || url.getPath().isEmpty() ? "/" : url.getPath();
    URI base;
    try {
      base = new URI(https ? "https" : "http", null, url.getHost(), port,
          path.endsWith("/") ? path : path + "/", null, null);
    } catch (URISyntaxException e) {
      throw new LocationException.Misconfigured("Location '" + spec.name() + "' has an invalid"
          + " URL: " + e.getMessage());
    }
    RequestConfig timeouts = RequestConfig.custom().setConnectTimeout(TIMEOUT_MS)
        .setSocketTimeout(TIMEOUT_MS).build();
    // A kept-alive connection the server has closed since (its keep-alive timeout, a restart)
    // is checked before it is used again, so no request goes out on it unanswered.
    PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager();
    connections.setValidateAfterInactivity(VALIDATE_AFTER_MS);
    SardineImpl sardine = new SardineImpl(
        // No automatic retries: a streamed body cannot be sent twice; RetryingLocation decides.
        HttpClientBuilder.create().setConnectionManager(connections)
            .setDefaultRequestConfig(timeouts).disableAutomaticRetries(),
        user,
        spec.secret(LocationSpec.PASSWORD).orElseThrow());
    // Send the password with the first request: a streamed PUT cannot be sent again after a 401.
    sardine.enablePreemptiveAuthentication(url.getHost(), https ? -1 : port, https ? port : -1);
    WebDavLocation location = new WebDavLocation(spec, user, base, sardine);
    location.createFolders();
    return location;
  }

  /** Creates the folder and its parents, one MKCOL each, as WebDAV requires. */
  private void createFolders() throws IOException {
    String[] segments = base.getPath().split("/");
    StringBuilder path = new StringBuilder("/");
    try {
      for (String segment : segments) {
        if (segment.isEmpty()) {
          continue;
        }
        path.append(segment).append('/');
        String folder = base.resolve(new URI(null, null, path.toString(), null)).toString();
        makeCollection(folder);
      }
    } catch (URISyntaxException e) {
      throw new LocationException.Misconfigured("Location '" + spec.name() + "' has an invalid"
          + " path: " + e.getMessage());
    } catch (IOException e) {
      close();
      throw translate("creating the folder of", e);
    }
  }

  /**
   * Creates the folder {@code path} below the location's folder (a restic repository's
   * subfolders), whose parent exists; one that exists already is fine.
   */
  public void createFolder(String path) throws IOException {
    try {
      makeCollection(url(path));
    } catch (IOException e) {
      throw translate("creating the folder " + path + " in", e);
    }
  }

  private void makeCollection(String folder) throws IOException {
    try {
      sardine.createDirectory(folder);
    } catch (SardineException e) {
      // 405: the folder exists (RFC 4918 9.3.1). HEAD cannot tell: Apache answers 404 on folders.
      if (e.getStatusCode() != 405) {
        throw e;
      }
    }
  }

  /**
   * The URL of {@code name} below the location's folder: an archive's name, or a path of
   * another layout (a restic repository's {@code data/ab/ID}).
   */
  public String url(String name) {
    try {
      // A relative URI: encodes what HTTP needs encoded; an archive's name is one segment.
      return base.resolve(new URI(null, null, name, null)).toString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Invalid archive name '" + name + "'", e);
    }
  }

  @Override
  public List<ArchiveInfo> list() throws IOException {
    List<ArchiveInfo> found = new ArrayList<>();
    try {
      for (DavResource resource : sardine.list(base.toString(), 1)) {
        if (!resource.isDirectory() && Names.isValid(resource.getName())) {
          found.add(info(resource.getName(), resource));
        }
      }
    } catch (IOException e) {
      throw translate("listing", e);
    }
    found.sort(Comparator.comparing(ArchiveInfo::name));
    return List.copyOf(found);
  }

  private static ArchiveInfo info(String name, DavResource resource) {
    Long size = resource.getContentLength();
    Instant modified = resource.getModified() == null
        ? Instant.EPOCH : resource.getModified().toInstant();
    return new ArchiveInfo(name, size == null || size < 0 ? 0 : size, modified);
  }

  @Override
  public Optional<ArchiveInfo> stat(String name) throws IOException {
    Names.check(name);
    try {
      List<DavResource> found = sardine.list(url(name), 0);
      if (found.isEmpty() || found.get(0).isDirectory()) {
        return Optional.empty();
      }
      return Optional.of(info(name, found.get(0)));
    } catch (SardineException e) {
      if (e.getStatusCode() == 404) {
        return Optional.empty();
      }
      throw translate("reading the size of '" + name + "' in", e);
    } catch (IOException e) {
      throw translate("reading the size of '" + name + "' in", e);
    }
  }

  @Override
  public <T> T read(String name, IoFunction<InputStream, T> reader) throws IOException {
    Names.check(name);
    InputStream in;
    try {
      in = sardine.get(url(name));
    } catch (IOException e) {
      throw translate("opening '" + name + "' in", e);
    }
    try (in) {
      return reader.apply(GuardedStreams.input(in, e -> translate("reading '" + name + "' from",
          e)));
    }
  }

  @Override
  public void write(String name, IoConsumer<OutputStream> writer) throws IOException {
    store(Names.check(name), writer);
  }

  /**
   * Writes {@code name} below the location's folder (an archive's name, or a path of another
   * layout whose folders exist) as archives are written: under a temporary name beside it, moved
   * onto it when complete, so no reader ever sees a partial file.
   */
  public void store(String name, IoConsumer<OutputStream> writer) throws IOException {
    int slash = name.lastIndexOf('/');
    String temp = url(name.substring(0, slash + 1)
        + Temporaries.forName(name.substring(slash + 1)));
    Upload upload = new Upload(name, writer);
    try {
      sardine.put(temp, upload, "application/octet-stream", false);
    } catch (IOException e) {
      deleteQuietly(temp); // the connection broke; the server may keep a partial temporary
      throw translate("writing '" + name + "' to", e);
    } catch (RuntimeException | Error e) {
      deleteQuietly(temp);
      throw e;
    }
    if (upload.writerFailure != null) {
      deleteQuietly(temp);
      throw upload.writerFailure;
    }
    try {
      sardine.move(temp, url(name), true);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw translate("renaming the finished '" + name + "' in", e);
    }
  }

  /**
   * The body of one PUT, written by the caller's writer as a chunked stream. When the writer
   * fails but the connection is fine, the body is ended early and the request completes, so the
   * server has finished with the temporary before it is deleted (servers such as
   * {@code rclone serve webdav} keep the partial file of an aborted PUT).
   */
  private final class Upload extends AbstractHttpEntity {
    private final String name;
    private final IoConsumer<OutputStream> writer;
    private boolean streamBroken;
    private IOException writerFailure;

    Upload(String name, IoConsumer<OutputStream> writer) {
      this.name = name;
      this.writer = writer;
      setChunked(true);
    }

    @Override
    public boolean isRepeatable() {
      return false;
    }

    @Override
    public long getContentLength() {
      return -1; // unknown until the writer is done: sent chunked
    }

    @Override
    public InputStream getContent() {
      throw new UnsupportedOperationException("an upload is written, not read");
    }

    @Override
    public boolean isStreaming() {
      return false;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      try {
        writer.accept(GuardedStreams.output(out, e -> {
          streamBroken = true;
          return translate("writing '" + name + "' to", e);
        }));
      } catch (IOException e) {
        if (streamBroken) {
          throw e;
        }
        writerFailure = e;
      }
    }
  }

  private void deleteQuietly(String url) {
    try {
      sardine.delete(url);
    } catch (IOException ignored) {
      // Best effort: most servers keep no partial upload, and list() hides temporaries anyway.
    }
  }

  @Override
  public void delete(String name) throws IOException {
    Names.check(name);
    try {
      sardine.delete(url(name));
    } catch (IOException e) {
      throw translate("deleting '" + name + "' from", e);
    }
  }

  /** The client, for a reader of another layout below {@link #url}. Not to be closed. */
  public SardineImpl client() {
    return sardine;
  }

  /** A failure of {@link #client()}'s work, as this Location's own failures are reported. */
  public LocationException failure(String doing, Exception e) {
    return translate(doing, e);
  }

  @Override
  public String describe() {
    return spec.url().getScheme() + "://" + user + "@" + base.getHost() + ":" + base.getPort()
        + base.getPath();
  }

  @Override
  public Capabilities capabilities() {
    return new Capabilities(true, false, false);
  }

  @Override
  public void close() throws IOException {
    sardine.shutdown();
  }

  /**
   * Turns the library's failure into the Location's. Only the writer's own failures pass
   * unchanged: they are neither a {@link SardineException} nor a transport failure.
   */
  private LocationException translate(String doing, Exception e) {
    if (e instanceof LocationException le) {
      return le;
    }
    String where = doing + " " + describe();
    if (!(e instanceof SardineException http)) {
      return new LocationException.Unreachable("Lost the connection " + where + ": "
          + e.getMessage() + ". Check that the server is up and reachable; trying again may help.",
          e);
    }
    int status = http.getStatusCode();
    if (status == 401) {
      return new LocationException.AuthenticationFailed("Login as '" + user + "' was refused when "
          + where + ". Check the password of location '" + spec.name() + "'.", e);
    }
    if (status == 404 || status == 409) {
      return new LocationException.NotFound("Not found: " + where + ".", e);
    }
    if (status >= 500 && status != 507) {
      return new LocationException.Unreachable("The server failed " + where + " (HTTP " + status
          + "). Trying again may help.", e);
    }
    return new LocationException.Refused("The server refused " + where + " (HTTP " + status + " "
        + http.getResponsePhrase() + "). Check the user's permissions and quota.", e);
  }

  @Override
  public String toString() {
    return "WebDav(" + describe() + ")";
  }
}
