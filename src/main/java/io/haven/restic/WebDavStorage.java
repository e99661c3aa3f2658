package io.haven.restic;

import com.github.sardine.DavResource;
import com.github.sardine.impl.SardineException;
import com.github.sardine.impl.SardineImpl;
import io.haven.location.IoConsumer;
import io.haven.location.LocationException;
import io.haven.location.LocationSpec;
import io.haven.location.WebDavLocation;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.http.NoHttpResponseException;

/**
 * A repository in a folder of a WebDAV server, laid out as restic's local backend lays it out.
 * The client and login are the WebDAV location's, and so is the writing of a new file: one PUT
 * to a hidden temporary name beside its own, then a MOVE onto it. Parts of a pack are read with
 * HTTP Range requests.
 */
public final class WebDavStorage extends StreamedStorage<WebDavLocation> {
  private static final int RANGE_NOT_SATISFIABLE = 416;

  private final SardineImpl dav;

  private WebDavStorage(WebDavLocation location) {
    super(location);
    this.dav = location.client();
  }

  /** Connects with the location's settings and secrets; the folder is made if missing. */
  public static WebDavStorage open(LocationSpec spec) throws IOException {
    return new WebDavStorage(WebDavLocation.open(spec));
  }

  private String url(String name) {
    return location.url(Layout.check(name));
  }

  @Override
  void store(String name, IoConsumer<OutputStream> body) throws IOException {
    try {
      Layout.storeInFolders(name, n -> location.store(n, body), location::createFolder);
    } catch (LocationException.Unreachable e) {
      if (!(e.getCause() instanceof NoHttpResponseException)) {
        throw e;
      }
      // The server closed a kept-alive connection as the request went out, before answering;
      // HTTP clients send such a request again when its body can be sent twice, as this one.
      Layout.storeInFolders(name, n -> location.store(n, body), location::createFolder);
    }
  }

  @Override
  public byte[] get(String name) throws IOException {
    try (InputStream in = open(name, Map.of(), 0)) {
      byte[] out = body(in, name, Json.MAX_UNPACKED + 1);
      Layout.smallFileSize(this, name, out.length);
      return out;
    }
  }

  @Override
  public byte[] readUpTo(String name, long offset, int most) throws IOException {
    if (most == 0) {
      return new byte[0];
    }
    String range = "bytes=" + offset + "-" + (offset + most - 1);
    InputStream opened;
    try {
      opened = open(name, Map.of("Range", range), offset + most);
    } catch (EOFException e) {
      return new byte[0]; // 416: the range starts at the file's end or past it
    }
    try (InputStream in = opened) {
      byte[] out = body(in, name, most);
      if (in.read() >= 0) {
        throw new LocationException.Refused("The server of " + describe() + " sent all of "
            + name + " where a part was asked for: a restic repository needs a server that"
            + " answers ranged reads.", null);
      }
      return out;
    }
  }

  // end: where a ranged read ends, for the message when the server says it is past the end.
  private InputStream open(String name, Map<String, String> headers, long end)
      throws IOException {
    try {
      return dav.get(url(name), headers);
    } catch (SardineException e) {
      if (e.getStatusCode() == 404) {
        throw Layout.notFound(this, name, e);
      }
      if (e.getStatusCode() == RANGE_NOT_SATISFIABLE) {
        throw Layout.endsBefore(this, name, end);
      }
      throw location.failure("opening " + name + " in", e);
    } catch (IOException e) {
      throw location.failure("opening " + name + " in", e);
    }
  }

  private byte[] body(InputStream in, String name, int most) throws IOException {
    try {
      return in.readNBytes(most);
    } catch (IOException e) {
      throw location.failure("reading " + name + " from", e);
    }
  }

  @Override
  public void list(String dir, IoConsumer<Entry> each) throws IOException {
    String folder = dir.isEmpty() ? location.url("") : url(dir) + "/";
    List<DavResource> found;
    try {
      found = dav.list(folder, 1);
    } catch (SardineException e) {
      if (e.getStatusCode() == 404) {
        return;
      }
      throw location.failure("listing " + dir + " in", e);
    } catch (IOException e) {
      throw location.failure("listing " + dir + " in", e);
    }
    String self = trimmed(URI.create(folder).getPath());
    for (DavResource r : found) {
      String name = Layout.child(dir, r.getName());
      if (trimmed(r.getPath()).equals(self) || Layout.hidden(name)) {
        continue; // a folder's listing names the folder itself too
      }
      if (!r.isDirectory()) {
        Long size = r.getContentLength();
        each.accept(new Entry(name, size == null ? 0 : size));
      } else if (dir.equals("data")) {
        list(name, each); // data/ab/: one folder's listing at a time
      }
    }
  }

  private static String trimmed(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  @Override
  public void delete(String name) throws IOException {
    try {
      dav.delete(url(name));
    } catch (SardineException e) {
      if (e.getStatusCode() != 404) {
        throw location.failure("deleting " + name + " from", e);
      }
    } catch (IOException e) {
      throw location.failure("deleting " + name + " from", e);
    }
  }

  @Override
  public boolean exists(String name) throws IOException {
    try {
      return dav.exists(url(name));
    } catch (IOException e) {
      throw location.failure("looking for " + name + " in", e);
    }
  }

  /** Creates the folders restic's local backend creates at init, one MKCOL each. */
  @Override
  public void createLayout() throws IOException {
    for (String d : Layout.DIRECTORIES) {
      location.createFolder(d);
    }
  }

}
