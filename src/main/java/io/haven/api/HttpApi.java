package io.haven.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.haven.agent.BackupView;
import io.haven.agent.Job;
import io.haven.agent.PlacedBackup;
import io.haven.agent.Place;
import io.haven.agent.Service;
import io.haven.api.Access.Gate;
import io.haven.archive.ArchiveListing;
import io.haven.archive.Part;
import io.haven.location.Location;
import io.haven.restore.RestoreRequest;
import io.haven.store.BackupStore;
import io.haven.store.StoreException;
import io.haven.store.StoredBackup;
import io.haven.tree.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API on the Supervisor's paths and envelope (FORMAT.md section 5), plus Haven's
 * {@code GET /health}, {@code GET /jobs/{uuid}/events} (Server-Sent Events), the web panel's
 * calls (what can be backed up, a backup's preflight and files), its sign-in ({@code /auth/session}) and its files ({@link Panel}).
 * Who may call what is {@link Access}'s rule; bodies are streamed, never held whole in memory.
 */
final class HttpApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  private static final Duration EVENT_EVERY = Duration.ofMillis(500);
  // Each event stream holds a server thread while its job runs; the rest stay for other calls.
  private static final int EVENT_STREAMS = HttpServers.THREADS / 4;
  /** A listing answer holds at most this many entries; a filter narrows it. */
  static final int MAX_FILES = 1000;

  private final HttpServer server;
  private final Service service;
  private final Access access;
  private final PanelCalls panel;
  private final SettingsCalls settings;
  private final String version;
  private final Router router = new Router();
  private final Semaphore eventStreams = new Semaphore(EVENT_STREAMS);
  private final JobOptions jobOptions;
  private int daysUntilStale = 30;

  private HttpApi(HttpServer server, Service service, Access access, String version) {
    this.server = server;
    this.service = service;
    this.access = access;
    this.panel = new PanelCalls(service);
    this.settings = new SettingsCalls(service, Clock.systemDefaultZone());
    this.jobOptions = new JobOptions(service.backupDir());
    this.version = version;
    routes();
    server.createContext("/", this::handle);
  }

  /** Serves on {@code address} (port 0: any free port) until closed. */
  static HttpApi start(Service service, InetSocketAddress address, String token, String version)
      throws IOException {
    Access access = new Access(token, new Sessions(Clock.systemUTC()), service.onboarding(),
        OwnPage.ofThisDevice());
    HttpApi api = new HttpApi(HttpServers.create(address), service, access, version);
    api.server.start();
    return api;
  }

  InetSocketAddress address() {
    return server.getAddress();
  }

  private void routes() {
    router.add("GET", "/health", c -> c.ok(JsonNodeFactory.instance.objectNode()
        .put("status", "ok").put("version", version)));
    router.add("GET", "/backups", Gate.ONBOARDING, c -> c.ok(list(false)));
    router.add("GET", "/backups/info", Gate.ONBOARDING, c -> c.ok(list(true)));
    router.add("POST", "/backups/reload", c -> {
      service.reload();
      c.ok();
    });
    router.add("POST", "/backups/options", c -> {
      int days = c.json().path("days_until_stale").asInt(daysUntilStale);
      if (days < 1) {
        throw new ApiException.BadRequest("days_until_stale must be 1 or more");
      }
      daysUntilStale = days;
      c.ok();
    });
    router.add("POST", "/backups/new/full", c -> newBackup(c, true));
    router.add("POST", "/backups/new/partial", c -> newBackup(c, false));
    router.add("POST", "/backups/new/upload", Gate.ONBOARDING, this::upload);
    router.add("GET", "/backups/{}/info", Gate.ONBOARDING, c -> c.ok(BackupView.detail(
        service.placed(c.param(0)))));
    router.add("GET", "/backups/{}/preflight", Gate.ONBOARDING, c -> c.ok(service.preflight(
        c.param(0), new RestoreRequest(List.of(), Optional.empty())).toJson()));
    router.add("POST", "/backups/{}/files", c -> c.ok(files(c.param(0), c.json())));
    router.add("POST", "/backups/{}/verify", c -> {
      JsonNode body = c.json();
      answer(c, service.startVerify(c.param(0), Wire.secret(body)),
          body.path("background").asBoolean());
    });
    router.add("GET", "/haven/parts", c -> c.ok(parts()));
    router.add("GET", "/haven/status", c -> c.ok(service.status()));
    router.add("GET", "/backups/{}/download", this::download);
    router.add("POST", "/backups/{}/restore/full", Gate.ONBOARDING, c -> restore(c, true));
    router.add("POST", "/backups/{}/restore/partial", c -> restore(c, false));
    router.add("DELETE", "/backups/{}", c -> {
      service.remove(c.param(0), Wire.places(c.json(), List.of()));
      c.ok();
    });
    router.add("GET", "/jobs/info", c -> c.ok(jobs()));
    router.add("POST", "/jobs/options", c -> {
      jobOptions.apply(c.json());
      c.ok();
    });
    router.add("POST", "/jobs/reset", c -> {
      jobOptions.reset();
      c.ok();
    });
    router.add("GET", "/jobs/{}", Gate.ONBOARDING_JOB,
        c -> c.ok(service.job(c.param(0)).toJson()));
    router.add("DELETE", "/jobs/{}", this::deleteJob);
    router.add("GET", "/jobs/{}/events", this::events);
    panelRoutes();
    sessionRoutes();
  }

  private void panelRoutes() {
    router.add("GET", "/haven/overview", c -> c.ok(panel.overview()));
    router.add("POST", "/backups/{}/password", Gate.ONBOARDING, c -> {
      panel.checkPassword(c.param(0), c.json());
      c.ok();
    });
    router.add("GET", "/haven/settings", c -> c.ok(settings.settings()));
    router.add("POST", "/haven/settings", c -> {
      settings.save(c.json());
      c.ok(settings.settings());
    });
    router.add("GET", "/haven/locations", c -> c.ok(settings.locations()));
    router.add("POST", "/haven/locations", c -> c.ok(settings.addOrTest(c.json(), true)));
    router.add("POST", "/haven/locations/test", c -> c.ok(settings.addOrTest(c.json(), false)));
    router.add("DELETE", "/haven/locations/{}", c -> {
      settings.removeLocation(c.param(0));
      c.ok();
    });
    router.add("GET", "/haven/key", c -> c.ok(settings.key()));
    router.add("POST", "/haven/key/new", c -> c.ok(settings.renewKey()));
    router.add("GET", "/haven/key/kit", c -> c.ok(settings.kit()));
  }

  private void sessionRoutes() {
    router.add("GET", "/auth/session", Gate.OPEN, c -> {
      if (!access.signedIn(c.exchange)) {
        throw new ApiException.Unauthorized("401: Not signed in. Sign in with the API token.");
      }
      c.ok(JsonNodeFactory.instance.objectNode().put("configured", access.configured()));
    });
    router.add("POST", "/auth/session", Gate.OPEN, c -> {
      if (!access.tokenMatches(c.json().path("token").asText(""))) {
        throw new ApiException.Unauthorized("401: That is not the agent's token. Copy it from"
            + " the agent's token file (or HAVEN_API_TOKEN) and try again.");
      }
      c.exchange.getResponseHeaders().add("Set-Cookie",
          Sessions.cookie(access.sessions().create()));
      c.ok();
    });
    router.add("DELETE", "/auth/session", Gate.OPEN, c -> {
      Access.session(c.exchange).ifPresent(access.sessions()::end);
      c.exchange.getResponseHeaders().add("Set-Cookie", Sessions.expiredCookie());
      c.ok();
    });
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Call call = null;
      try {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Optional<String> file = Panel.fileFor(method, path);
        if (file.isPresent()) {
          Panel.serve(exchange, file.get());
          return;
        }
        Router.Match m = router.match(method, path);
        Access.Via via = access.check(exchange, m.gate(), m.params());
        call = new Call(exchange, m.params());
        m.handler().handle(call);
        if (via == Access.Via.ONBOARDING && call.startedJob != null) {
          access.onboardingJob(call.startedJob);
        }
      } catch (IOException | RuntimeException e) {
        if (e instanceof ApiException.ClientGone gone && gone.whileAnswering()) {
          LOG.info("{} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
              gone.getMessage());
          return; // nobody is there to answer
        }
        (call != null ? call : new Call(exchange, List.of())).fail(Failure.of(e),
            Optional.empty());
      }
    }
  }

  private ObjectNode list(boolean info) throws IOException {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    ArrayNode items = data.putArray("backups");
    String instance = service.offsite().instanceId();
    for (PlacedBackup b : service.placed()) {
      ObjectNode item = BackupView.item(b);
      PanelCalls.markAutomatic(item, b, instance);
      items.add(item);
    }
    if (info) {
      data.put("days_until_stale", daysUntilStale);
    }
    return data;
  }

  private void newBackup(Call c, boolean full) throws IOException {
    JsonNode body = c.json();
    answer(c, service.startBackup(Wire.newBackup(body, Optional.of(full), service.present()),
        Progress.NONE), body.path("background").asBoolean());
  }

  /** {@code GET /haven/parts}: the parts present in the data root. */
  private ObjectNode parts() throws IOException {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("homeassistant", false);
    ArrayNode addons = o.putArray("addons");
    ArrayNode folders = o.putArray("folders");
    for (Part p : service.present()) {
      switch (p.kind()) {
        case HOMEASSISTANT:
          o.put("homeassistant", true);
          break;
        case ADDON:
          addons.add(p.id());
          break;
        default:
          folders.add(p.id());
      }
    }
    return o;
  }

  /**
   * {@code POST /backups/{slug}/files {prefix, password}}: the entries at or below
   * {@code prefix}, at most {@value #MAX_FILES}, with {@code truncated} when there were more.
   */
  private ObjectNode files(String slug, JsonNode body) throws IOException {
    Service.Files listing = service.files(slug, Wire.secret(body),
        body.path("prefix").asText(""), MAX_FILES);
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    ArrayNode files = data.putArray("files");
    for (ArchiveListing.Entry e : listing.entries()) {
      files.addObject().put("part", e.part().id()).put("path", e.path())
          .put("type", e.type().name().toLowerCase(Locale.ROOT)).put("size", e.size())
          .put("mtime", e.mtime().toString());
    }
    data.put("truncated", listing.truncated());
    return data;
  }

  private void restore(Call c, boolean full) throws IOException {
    JsonNode body = c.json();
    answer(c, service.startRestore(Wire.restoreBackup(c.param(0), body, Optional.of(full)),
        Progress.NONE, report -> { }), body.path("background").asBoolean());
  }

  /** background: the job id at once; otherwise wait, then the slug and job id, or the error. */
  private static void answer(Call c, Job job, boolean background) throws IOException {
    c.startedJob = job.uuid();
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    if (!background) {
      Service.await(job);
      if (job.failure().isPresent()) {
        c.fail(Failure.of(job.failure().get()), Optional.of(job.uuid()));
        return;
      }
      data.put("slug", job.toJson().path("reference").asText());
    }
    data.put("job_id", job.uuid());
    c.ok(data);
  }

  private void upload(Call c) throws IOException {
    String length = c.header("Content-Length").orElse("-1");
    Optional<String> boundary = Multipart.boundary(c.header("Content-Type").orElse(null));
    try (InputStream in = boundary.isPresent()
        ? Multipart.firstPart(c.body(), boundary.get()) : c.body()) {
      Job job = service.upload(in, Long.parseLong(length), c.query("filename"));
      if (job.failure().isPresent()) {
        c.fail(Failure.of(job.failure().get()), Optional.of(job.uuid()));
        return;
      }
      c.ok(JsonNodeFactory.instance.objectNode()
          .put("slug", ((StoredBackup) job.result().get()).slug()).put("job_id", job.uuid()));
    }
  }

  /**
   * The archive's bytes from {@code ?location=} (absent, "" or ".local": the backup directory,
   * or the first place that holds it when the backup directory does not). A location is read
   * once, without retries, since a retry would repeat bytes already sent.
   */
  private void download(Call c) throws IOException {
    PlacedBackup b = service.placed(c.param(0));
    Place place = c.query("location").filter(l -> !l.isEmpty()).map(Place::of)
        .orElse(b.primary());
    service.known(List.of(place));
    Long size = b.sizes().get(place);
    if (size == null) {
      throw new StoreException.NotFound("Backup '" + b.slug() + "' is not in " + place
          + "; it is in " + b.places() + ".");
    }
    String name = b.fileName().equals(b.slug() + ".tar")
        ? BackupStore.downloadName(b.metadata()) : b.fileName();
    c.exchange.getResponseHeaders().set("Content-Type", "application/tar");
    c.exchange.getResponseHeaders().set("Content-Disposition",
        ContentDisposition.attachment(name));
    if (!(place instanceof Place.Named named)) {
      StoredBackup local = service.info(b.slug());
      try (OutputStream out = c.answer(200, local.size())) {
        Files.copy(local.file(), out);
      }
      return;
    }
    try (Location location = service.openOnce(named)) {
      location.read(b.fileName(), in -> {
        try (OutputStream out = c.answer(200, size)) {
          return in.transferTo(out);
        }
      });
    }
  }

  private ObjectNode jobs() {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    ArrayNode ignored = data.putArray(JobOptions.IGNORE_CONDITIONS);
    jobOptions.ignoreConditions().forEach(ignored::add);
    ArrayNode list = data.putArray("jobs");
    service.jobs().all().forEach(j -> list.add(j.toJson()));
    return data;
  }

  private void deleteJob(Call c) throws IOException {
    Job job = service.job(c.param(0));
    if (!service.jobs().remove(job.uuid())) {
      throw new ApiException.BadRequest("Job " + job.uuid() + " is still running; only"
          + " finished jobs can be removed");
    }
    c.ok();
  }

  /** Server-Sent Events: the job object when it changes, until it is done. */
  private void events(Call c) throws IOException {
    Job job = service.job(c.param(0));
    if (!eventStreams.tryAcquire()) {
      throw new ApiException.TooMany("429: " + EVENT_STREAMS + " job event streams are open"
          + " already; close one, or ask GET /jobs/" + job.uuid() + " now and then.");
    }
    try {
      stream(c, job);
    } finally {
      eventStreams.release();
    }
  }

  private static void stream(Call c, Job job) throws IOException {
    c.exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    c.exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    try (OutputStream out = c.answer(200, 0)) {
      String last = "";
      while (true) {
        boolean done = job.isDone();
        String now = Wire.JSON.writeValueAsString(job.toJson());
        if (!now.equals(last)) {
          out.write(("event: job\ndata: " + now + "\n\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
          last = now;
        }
        if (done) {
          return;
        }
        job.await(EVENT_EVERY);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** Paths with {} segments, matched in the order added. */
  static final class Router {
    interface Handler {
      void handle(Call call) throws IOException;
    }

    record Match(Handler handler, Gate gate, List<String> params) {}

    private record Route(String method, String[] segments, Gate gate, Handler handler) {}

    private final List<Route> routes = new ArrayList<>();

    /** A route for signed-in callers only. */
    void add(String method, String pattern, Handler handler) {
      add(method, pattern, Gate.SIGNED_IN, handler);
    }

    void add(String method, String pattern, Gate gate, Handler handler) {
      routes.add(new Route(method, pattern.substring(1).split("/"), gate, handler));
    }

    Match match(String method, String path) throws ApiException {
      String trimmed = path.replaceAll("/+$", "");
      if (trimmed.isEmpty()) {
        throw new ApiException.NoSuchCall("No endpoint " + method + " " + path
            + ". See the README for Haven's API.");
      }
      String[] parts = trimmed.substring(1).split("/");
      boolean pathKnown = false;
      for (Route r : routes) {
        List<String> params = params(r.segments(), parts);
        if (params != null) {
          pathKnown = true;
          if (r.method().equals(method)) {
            return new Match(r.handler(), r.gate(), params);
          }
        }
      }
      throw new ApiException.NoSuchCall((pathKnown ? "Method " + method + " is not allowed on "
          : "No endpoint ") + path + ". See the README for Haven's API.");
    }

    private static List<String> params(String[] pattern, String[] parts) {
      if (pattern.length != parts.length) {
        return null;
      }
      List<String> params = new ArrayList<>();
      for (int i = 0; i < pattern.length; i++) {
        if (pattern[i].equals("{}")) {
          params.add(parts[i]);
        } else if (!pattern[i].equals(parts[i])) {
          return null;
        }
      }
      return params;
    }
  }
}
