package io.haven.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.agent.Job;
import io.haven.agent.Made;
import io.haven.agent.Service;
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
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's Unix socket: one JSON request a line ({@code {"id":1,"cmd":"backups.list"}};
 * {@code "command"} is accepted for {@code "cmd"}, arguments in {@code "args"} or beside it), one
 * JSON answer a line carrying the request's id, and for long jobs progress lines
 * ({@code "event":"progress"}) before it. The socket file is mode 0660: who may open it may use
 * Haven.
 */
final class SocketApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SocketApi.class);
  private static final int MAX_LINE = 1024 * 1024;
  private static final Duration PROGRESS_EVERY = Duration.ofMillis(200);

  private final ServerSocketChannel server;
  private final Path path;
  private final Service service;
  private volatile boolean closed;

  private SocketApi(ServerSocketChannel server, Path path, Service service) {
    this.server = server;
    this.path = path;
    this.service = service;
  }

  /** Binds {@code path}, replacing a stale socket file; fails if an agent already listens. */
  static SocketApi start(Path path, Service service) throws IOException {
    if (AgentClient.listening(path)) {
      throw new IOException("Another Haven agent listens on " + path + "; stop it first.");
    }
    Files.createDirectories(path.toAbsolutePath().getParent());
    Files.deleteIfExists(path); // left by an agent that was killed
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
    SocketApi api = new SocketApi(server, path, service);
    Thread t = new Thread(api::accept, "haven-socket");
    t.setDaemon(true);
    t.start();
    return api;
  }

  private void accept() {
    while (!closed) {
      try {
        SocketChannel ch = server.accept();
        Thread t = new Thread(() -> serve(ch), "haven-socket-client");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("The socket {} stopped accepting: {}", path, e.getMessage());
        }
        return;
      }
    }
  }

  private void serve(SocketChannel ch) {
    try (ch; InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
        OutputStream out = Channels.newOutputStream(ch)) {
      Optional<String> line;
      while ((line = next(in, out)).isPresent()) {
        if (!line.get().isBlank()) {
          answer(line.get(), out);
        }
      }
    } catch (IOException e) {
      LOG.debug("socket client went away: {}", e.getMessage());
    }
  }

  /** The next request line; one that is too long is answered with an error and skipped. */
  private static Optional<String> next(InputStream in, OutputStream out) throws IOException {
    while (true) {
      try {
        return Lines.read(in, MAX_LINE);
      } catch (Lines.TooLong e) {
        error(null, Failure.of(new ApiException.BadRequest("The request is longer than "
            + e.max() / (1024 * 1024) + " MiB, which no Haven command needs. Send one JSON"
            + " request a line.")), out);
      }
    }
  }

  private void answer(String line, OutputStream out) throws IOException {
    JsonNode id = null;
    try {
      JsonNode request = Wire.JSON.readTree(line);
      id = request.get("id");
      JsonNode args = request.has("args") ? request.get("args") : request;
      String cmd = request.has("cmd") ? request.path("cmd").asText()
          : request.path("command").asText();
      ObjectNode answer = envelope(id, "ok");
      answer.set("data", run(cmd, args, id, out));
      write(out, answer);
    } catch (IOException | RuntimeException e) {
      error(id, Failure.of(e), out);
    }
  }

  private static void error(JsonNode id, Failure f, OutputStream out) throws IOException {
    ObjectNode answer = envelope(id, "error");
    answer.put("message", f.message());
    answer.put("exit_code", f.exitCode());
    answer.put("http_status", f.httpStatus());
    write(out, answer);
  }

  private JsonNode run(String cmd, JsonNode args, JsonNode id, OutputStream out)
      throws IOException {
    switch (cmd) {
      case "backups.list":
        return listing(service.list());
      case "backups.reload":
        return listing(service.reload());
      case "backups.info":
        return Wire.stored(service.info(slug(args)));
      case "backups.new":
        return finished(service.startBackup(Wire.newBackup(args, Optional.empty(),
            service.present()), Progress.NONE), id, out);
      case "backups.restore":
        return finished(service.startRestore(Wire.restoreBackup(slug(args), args,
            Optional.empty()), Progress.NONE, report -> { }), id, out);
      case "backups.copy":
        return JsonNodeFactory.instance.objectNode().set("copies",
            Wire.copies(service.copy(slug(args), Wire.named(args))));
      case "backups.remove":
        service.remove(slug(args), Wire.places(args, List.of()));
        return JsonNodeFactory.instance.objectNode();
      case "jobs.info":
        ArrayNode jobs = JsonNodeFactory.instance.arrayNode();
        service.jobs().all().forEach(j -> jobs.add(j.toJson()));
        return JsonNodeFactory.instance.objectNode().set("jobs", jobs);
      case "jobs.get":
        return service.job(args.path("uuid").asText()).toJson();
      default:
        throw new ApiException.NoSuchCall("No socket command '" + cmd + "'. Commands:"
            + " backups.list, backups.info, backups.new, backups.restore, backups.copy, backups.remove,"
            + " backups.reload, jobs.info, jobs.get.");
    }
  }

  private static String slug(JsonNode args) throws ApiException {
    String slug = args.path("slug").asText("");
    if (slug.isEmpty()) {
      throw new ApiException.BadRequest("this command needs \"slug\"");
    }
    return slug;
  }

  private static ObjectNode listing(BackupStore.Listing l) throws IOException {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    ArrayNode backups = data.putArray("backups");
    for (StoredBackup b : l.backups()) {
      backups.add(Wire.stored(b));
    }
    ArrayNode unreadable = data.putArray("unreadable");
    l.unreadable().forEach(unreadable::add);
    return data;
  }

  /** Sends progress lines while the job runs; then its result, or throws its failure. */
  private static JsonNode finished(Job job, JsonNode id, OutputStream out) throws IOException {
    try {
      while (!job.await(PROGRESS_EVERY)) {
        ObjectNode progress = envelope(id, "progress");
        progress.put("event", "progress");
        progress.set("job", job.toJson());
        write(out, progress);
      }
      // The last state too: a caller must see a preflight report even when the job failed on it.
      ObjectNode last = envelope(id, "progress");
      last.put("event", "progress");
      last.set("job", job.toJson());
      write(out, last);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting for " + job.label());
    }
    if (job.failure().isPresent()) {
      throw job.failure().get();
    }
    Object value = job.result().orElseThrow();
    ObjectNode data = value instanceof Made m ? Wire.result(m)
        : Wire.result((RestoreResult) value);
    data.put("job_id", job.uuid());
    data.set("job", job.toJson());
    return data;
  }

  private static ObjectNode envelope(JsonNode id, String result) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    if (id != null) {
      o.set("id", id);
    }
    o.put("result", result);
    return o;
  }

  private static synchronized void write(OutputStream out, JsonNode line) throws IOException {
    out.write(Wire.JSON.writeValueAsBytes(line));
    out.write('\n');
    out.flush();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    Files.deleteIfExists(path);
  }
}
