package io.haven.restic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haven.location.IoConsumer;
import io.haven.location.LocationException;
import io.haven.location.LocationSpec;
import io.haven.location.RcloneLocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A repository on any remote rclone knows ({@code rclone:remote:path}), with restic's layout.
 * Each call runs the rclone program as the rclone location runs it (its config, program and
 * retries): a new file is {@code rclone rcat} to a hidden temporary name and {@code rclone
 * moveto} onto its own, a part of a pack {@code rclone cat --offset --count}, a listing
 * {@code rclone lsjson} read as it streams.
 */
public final class RcloneStorage extends StreamedStorage<RcloneLocation> {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RcloneStorage(RcloneLocation location) {
    super(location);
  }

  /** Checks the remote with the location's settings; the path is made if missing. */
  public static RcloneStorage open(LocationSpec spec) throws IOException {
    return new RcloneStorage(RcloneLocation.open(spec));
  }

  private String path(String name) {
    return location.join(Layout.check(name));
  }

  @Override
  void store(String name, IoConsumer<OutputStream> body) throws IOException {
    location.store(name, body); // rcat makes the folders a remote has
  }

  @Override
  public byte[] get(String name) throws IOException {
    byte[] out = cat(name, List.of(), Json.MAX_UNPACKED + 1);
    Layout.smallFileSize(this, name, out.length);
    return out;
  }

  @Override
  public byte[] readUpTo(String name, long offset, int most) throws IOException {
    if (most == 0) {
      return new byte[0];
    }
    return cat(name, List.of("--offset", Long.toString(offset), "--count",
        Integer.toString(most)), most);
  }

  // rclone cat prints nothing for a file that is not there, on some remotes without an error.
  private byte[] cat(String name, List<String> range, int most) throws IOException {
    List<String> args = new ArrayList<>(List.of("cat"));
    args.addAll(range);
    args.add(path(name));
    byte[] out;
    try {
      out = location.output("reading " + name + " from", args, in -> {
        byte[] bytes = in.readNBytes(most);
        in.transferTo(OutputStream.nullOutputStream()); // to rclone's end, to see its exit
        return bytes;
      });
    } catch (LocationException.NotFound e) {
      throw Layout.notFound(this, name, e);
    }
    if (out.length == 0 && !exists(name)) {
      throw Layout.notFound(this, name, null);
    }
    return out;
  }

  @Override
  public void list(String dir, IoConsumer<Entry> each) throws IOException {
    List<String> args = new ArrayList<>(List.of("lsjson", "--files-only", "--no-modtime",
        "--no-mimetype"));
    if (dir.equals("data")) {
      args.add("--recursive"); // data/ab/: the subdirectories' files too
    }
    args.add(dir.isEmpty() ? location.join("") : path(dir));
    try {
      location.output("listing " + dir + " in", args, in -> {
        entries(in, dir, each);
        return null;
      });
    } catch (LocationException.NotFound e) {
      // No such directory: nothing in it.
    }
  }

  // One entry of rclone's JSON array at a time, so a large directory is never held.
  private static void entries(InputStream in, String dir, IoConsumer<Entry> each)
      throws IOException {
    try (JsonParser json = new JsonFactory(JSON).createParser(in)) {
      if (json.nextToken() != JsonToken.START_ARRAY) {
        throw new IOException("rclone lsjson printed no list");
      }
      while (json.nextToken() == JsonToken.START_OBJECT) {
        JsonNode entry = json.readValueAsTree();
        String name = Layout.child(dir, entry.path("Path").asText());
        if (!entry.path("IsDir").asBoolean() && !Layout.hidden(name)) {
          each.accept(new Entry(name, Math.max(0, entry.path("Size").asLong())));
        }
      }
    }
  }

  @Override
  public void delete(String name) throws IOException {
    try {
      location.output("deleting " + name + " from", List.of("deletefile", path(name)),
          InputStream::readAllBytes);
    } catch (LocationException e) {
      if (exists(name)) { // rclone says only that it failed; gone already is fine
        throw e;
      }
    }
  }

  @Override
  public boolean exists(String name) throws IOException {
    try {
      location.output("looking for " + name + " in", List.of("lsjson", "--stat", "--no-mimetype",
          path(name)), InputStream::readAllBytes);
      return true;
    } catch (LocationException.NotFound e) {
      return false;
    }
  }

  /**
   * Creates the directories restic's local backend creates at init, where the remote has
   * directories: one {@code rclone copy} of an empty local tree.
   */
  @Override
  public void createLayout() throws IOException {
    Path tree = Files.createTempDirectory("haven-restic-layout");
    try {
      for (String d : Layout.DIRECTORIES) {
        Files.createDirectories(tree.resolve(d));
      }
      location.output("making the repository's directories in", List.of("copy",
          "--create-empty-src-dirs", tree.toString(), location.join("")),
          InputStream::readAllBytes);
    } finally {
      for (int i = Layout.DIRECTORIES.size() - 1; i >= 0; i--) { // children first
        Files.deleteIfExists(tree.resolve(Layout.DIRECTORIES.get(i)));
      }
      Files.deleteIfExists(tree);
    }
  }
}
