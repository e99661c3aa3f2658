package io.haven.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.agent.Made;
import io.haven.agent.NewBackup;
import io.haven.agent.OffsiteBackups;
import io.haven.agent.Place;
import io.haven.agent.RestoreBackup;
import io.haven.agent.Verbs;
import io.haven.failure.ExitCode;
import io.haven.restore.PreflightReport;
import io.haven.restore.RestoreRequest;
import io.haven.restore.RestoreResult;
import io.haven.store.BackupStore;
import io.haven.store.StoredBackup;
import io.haven.tree.Progress;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The backup verbs done by a running agent, over its socket. Results and failures are rebuilt
 * from the agent's answers, so output is the same as when the verbs run in this process; the
 * agent's progress lines drive the caller's {@link Progress}.
 */
public final class AgentClient implements Verbs {
  private static final int MAX_LINE = 16 * 1024 * 1024;

  private final Path socket;
  private final Path backupDir;

  private AgentClient(Path socket, Path backupDir) {
    this.socket = socket;
    this.backupDir = backupDir;
  }

  /** A client when an agent listens on {@code socket} (the file exists and connects). */
  public static Optional<AgentClient> connect(Path socket, Path backupDir) {
    return listening(socket) ? Optional.of(new AgentClient(socket, backupDir))
        : Optional.empty();
  }

  /** True when the socket file exists and something accepts on it; a stale file is false. */
  static boolean listening(Path socket) {
    if (!Files.exists(socket)) {
      return false;
    }
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public Path backupDir() {
    return backupDir;
  }

  @Override
  public BackupStore.Listing list() throws IOException {
    return listing(call("backups.list", Wire.JSON.createObjectNode(), Progress.NONE));
  }

  @Override
  public BackupStore.Listing reload() throws IOException {
    return listing(call("backups.reload", Wire.JSON.createObjectNode(), Progress.NONE));
  }

  @Override
  public StoredBackup info(String slug) throws IOException {
    return Wire.stored(call("backups.info", Wire.JSON.createObjectNode().put("slug", slug),
        Progress.NONE));
  }

  @Override
  public Made create(NewBackup request, Progress progress) throws IOException {
    return Wire.made(call("backups.new", Wire.encode(request), progress));
  }

  @Override
  public RestoreResult restore(RestoreBackup request, Progress progress,
      Consumer<PreflightReport> onPreflight) throws IOException {
    return Wire.restoreResult(call("backups.restore", Wire.encode(request), progress,
        onPreflight));
  }

  @Override
  public List<OffsiteBackups.CopyOutcome> copy(String slug, List<Place.Named> to)
      throws IOException {
    return Wire.copyOutcomes(call("backups.copy", slugAt(slug, to), Progress.NONE)
        .get("copies"));
  }

  @Override
  public void remove(String slug, List<Place> places) throws IOException {
    call("backups.remove", slugAt(slug, places), Progress.NONE);
  }

  /** A slug and places, as the Supervisor's {@code location} field names them. */
  private static ObjectNode slugAt(String slug, List<? extends Place> places) {
    ObjectNode args = Wire.JSON.createObjectNode().put("slug", slug);
    ArrayNode names = args.putArray("location");
    places.forEach(p -> names.add(p.apiName()));
    return args;
  }

  private static BackupStore.Listing listing(JsonNode data) throws IOException {
    List<StoredBackup> backups = new ArrayList<>();
    for (JsonNode b : data.get("backups")) {
      backups.add(Wire.stored(b));
    }
    List<String> unreadable = new ArrayList<>();
    data.get("unreadable").forEach(u -> unreadable.add(u.asText()));
    return new BackupStore.Listing(backups, unreadable);
  }

  /** Sends one command and reads lines until its answer; progress lines go to {@code progress}. */
  private JsonNode call(String cmd, ObjectNode args, Progress progress) throws IOException {
    return call(cmd, args, progress, report -> { });
  }

  /** As above; a restore's preflight report goes to {@code onPreflight} once, as it arrives. */
  private JsonNode call(String cmd, ObjectNode args, Progress progress,
      Consumer<PreflightReport> onPreflight) throws IOException {
    ObjectNode request = Wire.JSON.createObjectNode().put("id", 1).put("cmd", cmd);
    request.set("args", args);
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      OutputStream out = Channels.newOutputStream(ch);
      out.write(Wire.JSON.writeValueAsBytes(request));
      out.write('\n');
      out.flush();
      InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
      Relay relay = new Relay(progress, onPreflight);
      while (true) {
        JsonNode line = Wire.JSON.readTree(Lines.read(in, MAX_LINE).orElseThrow(() ->
            new ApiException.Remote("The Haven agent on " + socket + " closed the connection"
                + " before answering; see its log (journalctl -u haven).", ExitCode.BUG, 500)));
        switch (line.path("result").asText()) {
          case "progress":
            relay.show(line.get("job"));
            break;
          case "ok":
            return line.get("data");
          default:
            throw new ApiException.Remote(line.path("message").asText(),
                line.path("exit_code").asInt(ExitCode.BUG), line.path("http_status").asInt(500));
        }
      }
    }
  }

  /** Turns the agent's job objects into stage, total and advance calls. */
  private static final class Relay {
    private final Progress progress;
    private Consumer<PreflightReport> onPreflight;
    private String stage;
    private long total = -1;
    private long done;

    Relay(Progress progress, Consumer<PreflightReport> onPreflight) {
      this.progress = progress;
      this.onPreflight = onPreflight;
    }

    void show(JsonNode job) {
      JsonNode report = job.path("extra").path("preflight");
      if (report.isObject() && onPreflight != null) {
        onPreflight.accept(PreflightReport.fromJson(report));
        onPreflight = null; // once
      }
      long t = job.path("extra").path("bytes_total").asLong();
      if (t != total) {
        total = t;
        progress.total(t);
      }
      String s = job.path("stage").asText(null);
      if (s != null && !s.equals(stage)) {
        stage = s;
        progress.stage(s);
      }
      long d = job.path("extra").path("bytes_done").asLong();
      if (d > done) {
        progress.advance(d - done);
        done = d;
      }
    }
  }
}
