package io.haven.location;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A path on any remote the {@code rclone} program knows ({@code rclone:remote:path}), for the
 * clouds Haven has no library for. Options: {@code config} (an rclone.conf, passed as
 * {@code --config}; rclone's own default otherwise), {@code program} (default {@code rclone}) and
 * {@code lowLevelRetries} (rclone's retries of one request, default 3; whole operations are
 * retried by {@link RetryingLocation}, not by rclone).
 * Secrets live in the rclone config, not here.
 *
 * <p>A write runs {@code rclone rcat} into a temporary name, then {@code rclone moveto}; whether
 * that rename is atomic depends on the remote, so {@link Capabilities#atomicRename()} is false.
 * Reads run {@code rclone cat}; a read that rclone ends with an error fails at the end of the
 * stream instead of looking like a short, complete object.
 */
public final class RcloneLocation implements Location {
  /** rclone's exit codes for "directory not found" and "file not found". */
  private static final int DIRECTORY_NOT_FOUND = 3;
  private static final int FILE_NOT_FOUND = 4;
  private static final Pattern AUTH_FAILURE = Pattern.compile(
      "unable to authenticate|authentication failed|401 unauthorized|status code: 401"
          + "|invalidaccesskeyid|signaturedoesnotmatch|logon_failure|permission denied \\(publickey");

  private final LocationSpec spec;
  private final String remotePath;
  private final String program;
  private final String config;
  private final String lowLevelRetries;
  private final ObjectMapper json = new ObjectMapper();

  private RcloneLocation(LocationSpec spec, String remotePath) {
    this.spec = spec;
    this.remotePath = remotePath;
    this.program = spec.option("program").orElse("rclone");
    this.config = spec.option("config").orElse(null);
    this.lowLevelRetries = spec.option("lowLevelRetries").orElse("3");
  }

  public static RcloneLocation open(LocationSpec spec) throws IOException {
    String remotePath = spec.url().getSchemeSpecificPart();
    if (remotePath == null || !remotePath.contains(":")) {
      throw new LocationException.Misconfigured("Location '" + spec.name() + "' needs an rclone"
          + " remote and path: rclone:remote:path");
    }
    RcloneLocation location = new RcloneLocation(spec, remotePath.replaceAll("/+$", ""));
    location.run("creating the folder of", List.of("mkdir", location.remotePath));
    return location;
  }

  private String path(String name) {
    return join(Names.check(name));
  }

  /**
   * {@code remote:path/object}: for an archive's name once checked, a temporary, or a path of
   * another layout ({@code data/ab/ID}, a restic repository's).
   */
  public String join(String object) {
    return remotePath + (remotePath.endsWith(":") ? "" : "/") + object;
  }

  @Override
  public List<ArchiveInfo> list() throws IOException {
    List<ArchiveInfo> found = new ArrayList<>();
    JsonNode entries = json.readTree(run("listing", List.of("lsjson", "--files-only",
        remotePath)));
    for (JsonNode entry : entries) {
      String name = entry.path("Name").asText();
      if (!entry.path("IsDir").asBoolean() && Names.isValid(name)) {
        found.add(info(name, entry));
      }
    }
    found.sort(Comparator.comparing(ArchiveInfo::name));
    return List.copyOf(found);
  }

  private static ArchiveInfo info(String name, JsonNode entry) {
    return new ArchiveInfo(name, Math.max(0, entry.path("Size").asLong()),
        Instant.parse(entry.path("ModTime").asText()));
  }

  @Override
  public Optional<ArchiveInfo> stat(String name) throws IOException {
    try {
      JsonNode entry = json.readTree(run("reading the size of '" + name + "' in",
          List.of("lsjson", "--stat", path(name))));
      return entry.path("IsDir").asBoolean() ? Optional.empty() : Optional.of(info(name, entry));
    } catch (LocationException.NotFound e) {
      return Optional.empty();
    }
  }

  @Override
  public <T> T read(String name, IoFunction<InputStream, T> reader) throws IOException {
    // rclone cat reads a missing file as an empty filter match: look first to report NotFound.
    if (stat(name).isEmpty()) {
      throw notFound("opening '" + name + "' in");
    }
    return output("reading '" + name + "' from", List.of("cat", path(name)), reader);
  }

  /**
   * Runs rclone with {@code args} (paths made by {@link #join}) and gives what it prints to
   * {@code reader}; a run that ends with an error fails at the end of that stream, a missing
   * directory or file as {@link LocationException.NotFound}. For readers of another layout.
   */
  public <T> T output(String doing, List<String> args, IoFunction<InputStream, T> reader)
      throws IOException {
    try (RcloneProcess rclone = start(doing, args, false)) {
      rclone.process().getOutputStream().close();
      InputStream in = new CheckedAtEnd(rclone.process().getInputStream(), rclone, doing);
      return reader.apply(GuardedStreams.input(in, e -> translate(doing, e)));
    }
  }

  @Override
  public void write(String name, IoConsumer<OutputStream> writer) throws IOException {
    store(Names.check(name), writer);
  }

  /**
   * Writes {@code name} below the location's path (an archive's name, or a path of another
   * layout) as archives are written: {@code rclone rcat} to a temporary name beside it, then
   * {@code rclone moveto} onto it.
   */
  public void store(String name, IoConsumer<OutputStream> writer) throws IOException {
    String target = join(name);
    int slash = name.lastIndexOf('/');
    String temp = join(name.substring(0, slash + 1)
        + Temporaries.forName(name.substring(slash + 1)));
    String doing = "writing '" + name + "' to";
    try {
      try (RcloneProcess rclone = start(doing, List.of("rcat", temp), true)) {
        OutputStream stdin = rclone.process().getOutputStream();
        writer.accept(GuardedStreams.output(stdin, e -> failure(doing, rclone, e)));
        closeAndCheck(stdin, rclone, doing);
      }
      run("renaming the finished '" + name + "' in", List.of("moveto", temp, target));
    } catch (Throwable e) {
      deleteQuietly(temp);
      throw e;
    }
  }

  private void closeAndCheck(OutputStream stdin, RcloneProcess rclone, String doing)
      throws IOException {
    try {
      stdin.close();
    } catch (IOException e) {
      throw failure(doing, rclone, e);
    }
    if (rclone.waitFor() != 0) {
      throw failure(doing, rclone, null);
    }
  }

  private void deleteQuietly(String path) {
    for (int attempt = 0; attempt < 2; attempt++) { // a second time for a busy remote
      try {
        run("removing a temporary from", List.of("deletefile", path));
        return;
      } catch (IOException ignored) {
        // Best effort: the temporary is hidden from list() either way.
      }
    }
  }

  @Override
  public void delete(String name) throws IOException {
    if (stat(name).isEmpty()) {
      throw notFound("deleting '" + name + "' from");
    }
    run("deleting '" + name + "' from", List.of("deletefile", path(name)));
  }

  /** Runs rclone to the end; returns what it printed, which is small for the commands used. */
  private byte[] run(String doing, List<String> args) throws IOException {
    return output(doing, args, InputStream::readAllBytes);
  }

  private RcloneProcess start(String doing, List<String> args, boolean discardOutput)
      throws IOException {
    try {
      return RcloneProcess.start(program, config, lowLevelRetries, args, discardOutput);
    } catch (IOException e) {
      throw new LocationException.Misconfigured("Cannot run '" + program + "' for " + doing + " "
          + describe() + ": " + e.getMessage() + ". Install rclone or set the option 'program'.");
    }
  }

  private LocationException failure(String doing, RcloneProcess rclone, Exception cause) {
    String where = doing + " " + describe();
    int exit;
    try {
      exit = cause == null ? rclone.waitFor() : rclone.process().waitFor();
    } catch (IOException | InterruptedException e) {
      exit = -1;
    }
    String said = rclone.errorTail();
    if (exit == DIRECTORY_NOT_FOUND || exit == FILE_NOT_FOUND) {
      return new LocationException.NotFound("Not found: " + where + ".", cause);
    }
    if (AUTH_FAILURE.matcher(said.toLowerCase(Locale.ROOT)).find()) {
      return new LocationException.AuthenticationFailed("rclone could not log in when " + where
          + ": " + lastLine(said) + ". Check the remote's credentials in the rclone config.",
          cause);
    }
    return new LocationException.Unreachable("rclone failed " + where + " (exit " + exit + "): "
        + lastLine(said) + ". Check the remote with 'rclone lsd'; trying again may help.", cause);
  }

  private LocationException translate(String doing, Exception e) {
    return e instanceof LocationException le ? le : new LocationException.Unreachable(
        "rclone's output broke off " + doing + " " + describe() + ": " + e.getMessage() + ".", e);
  }

  private LocationException notFound(String doing) {
    return new LocationException.NotFound("Not found: " + doing + " " + describe() + ". Check the"
        + " name with 'haven list'.", null);
  }

  private static String lastLine(String text) {
    String[] lines = text.split("\n");
    return lines.length == 0 || text.isEmpty() ? "no message" : lines[lines.length - 1].strip();
  }

  @Override
  public String describe() {
    return "rclone:" + remotePath;
  }

  @Override
  public Capabilities capabilities() {
    return new Capabilities(false, false, false);
  }

  @Override
  public void close() {
    // Each call runs its own rclone process; nothing stays open.
  }

  @Override
  public String toString() {
    return "Rclone(" + describe() + ")";
  }

  /** rclone's stdout that, at its end, checks that rclone succeeded before reporting the end. */
  private final class CheckedAtEnd extends FilterInputStream {
    private final RcloneProcess rclone;
    private final String doing;

    CheckedAtEnd(InputStream in, RcloneProcess rclone, String doing) {
      super(in);
      this.rclone = rclone;
      this.doing = doing;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      return b < 0 ? atEnd() : b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      return n < 0 ? atEnd() : n;
    }

    private int atEnd() throws IOException {
      if (rclone.waitFor() != 0) {
        throw failure(doing, rclone, null);
      }
      return -1;
    }
  }
}
