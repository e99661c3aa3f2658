package io.haven.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.agent.Service;
import io.haven.agent.LocationCheck;
import io.haven.config.Config;
import io.haven.config.ConfigException;
import io.haven.config.Offsite;
import io.haven.config.Offsite.RetentionSettings;
import io.haven.config.Offsite.ScheduleSettings;
import io.haven.config.SettingsFile;
import io.haven.key.BackupKey;
import io.haven.key.EmergencyKit;
import io.haven.location.HostKey;
import io.haven.location.LocationSpec;
import io.haven.location.Locations;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The web panel's backup settings: the schedule, what automatic backups hold and how many are
 * kept ({@code GET/POST /haven/settings}, saved in the config file by {@link SettingsFile}), the
 * locations ({@code /haven/locations}, in the locations file) and the encryption key
 * ({@code /haven/key}). Messages here are written for the panel.
 */
final class SettingsCalls {
  private static final String[] DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

  private final Service service;
  private final Clock clock;

  SettingsCalls(Service service, Clock clock) {
    this.service = service;
    this.clock = clock;
  }

  ObjectNode settings() throws IOException {
    Offsite o = service.settings().offsite();
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("writable", service.settingsFile().isPresent());
    s.set("schedule", schedule(o.schedule()));
    ObjectNode content = s.putObject("content").put("database", o.content().database());
    names(content, "folders", o.content().folders());
    names(content, "addons", o.content().addons());
    s.set("retention", retention(o.retention()));
    ObjectNode per = s.putObject("location_retention");
    o.locations().forEach((name, l) -> l.retention().ifPresent(r -> per.set(name, retention(r))));
    return s;
  }

  private static ObjectNode schedule(ScheduleSettings sch) {
    ObjectNode schedule = JsonNodeFactory.instance.objectNode()
        .put("recurrence", sch.recurrence().name().toLowerCase(Locale.ROOT))
        .put("time", sch.time().map(Object::toString).orElse(null))
        .put("low_priority", sch.lowPriority());
    ArrayNode days = schedule.putArray("days");
    sch.days().stream().sorted().forEach(d -> days.add(DAYS[d.getValue() - 1]));
    return schedule;
  }

  private static void names(ObjectNode o, String key, Optional<List<String>> names) {
    if (names.isEmpty()) {
      o.put(key, "all");
    } else {
      names.get().forEach(o.putArray(key)::add);
    }
  }

  private static ObjectNode retention(RetentionSettings r) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("copies", r.copies().orElse(null)).put("days", r.days().orElse(null))
        .put("daily", r.daily()).put("weekly", r.weekly()).put("monthly", r.monthly())
        .put("yearly", r.yearly());
    return o;
  }

  /** Saves the body's settings into the config file, then the schedule follows them. */
  void save(JsonNode body) throws IOException {
    Path file = service.settingsFile().orElseThrow(() -> new ApiException.BadRequest("These"
        + " settings cannot be changed here: Haven was started without a configuration file."));
    Map<String, Object> keys = new LinkedHashMap<>();
    keys.put("schedule", schedule(body.path("schedule")));
    keys.put("automatic_content", content(body.path("content")));
    keys.put("retention", retentionKeys(body.path("retention")));
    Map<String, Map<String, Object>> per = new TreeMap<>();
    // A location's own schedule is not edited on this page: it stays as the file has it.
    for (var e : service.settings().offsite().locations().entrySet()) {
      if (e.getValue().schedule().isPresent()) {
        per.computeIfAbsent(e.getKey(), n -> new LinkedHashMap<>())
            .put("schedule", schedule(schedule(e.getValue().schedule().get())));
      }
    }
    for (var it = body.path("location_retention").fields(); it.hasNext(); ) {
      var e = it.next();
      Map<String, Object> r = retentionKeys(e.getValue());
      if (r != null) {
        per.computeIfAbsent(e.getKey(), n -> new LinkedHashMap<>()).put("retention", r);
      }
    }
    keys.put(Config.LOCATION_OVERRIDES, per.isEmpty() ? null : per);
    keys.put(Config.OLD_LOCATION_OVERRIDES, null); // written under the new name from now on
    try {
      new SettingsFile(file).set(keys);
      service.settingsSaved(Config.load(Optional.of(file), Map.of(), file.getParent()));
    } catch (ConfigException e) {
      throw new ApiException.BadRequest("The settings were not saved: " + e.getMessage());
    }
  }

  private static Map<String, Object> schedule(JsonNode s) throws ApiException {
    String recurrence = s.path("recurrence").asText("never");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("recurrence", recurrence);
    if (recurrence.equals("custom_days")) {
      List<String> days = new ArrayList<>();
      s.path("days").forEach(d -> days.add(d.asText()));
      if (days.isEmpty()) {
        throw new ApiException.BadRequest("Choose at least one day for automatic backups.");
      }
      out.put("days", days);
    }
    if (s.hasNonNull("time") && !s.get("time").asText().isBlank()) {
      out.put("time", s.get("time").asText());
    }
    if (s.path("low_priority").asBoolean(false)) {
      out.put("priority", "low");
    }
    return out;
  }

  private static Map<String, Object> content(JsonNode c) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("database", c.path("database").asBoolean(true));
    for (String key : new String[] {"folders", "addons"}) {
      JsonNode v = c.path(key);
      if (v.isArray()) {
        List<String> names = new ArrayList<>();
        v.forEach(n -> names.add(n.asText()));
        out.put(key, names);
      } else {
        out.put(key, "all");
      }
    }
    return out;
  }

  // Null (keep every backup) when nothing is set.
  private static Map<String, Object> retentionKeys(JsonNode r) throws ApiException {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String key : new String[] {"copies", "days", "daily", "weekly", "monthly", "yearly"}) {
      JsonNode v = r.path(key);
      if (v.isNumber() && v.asInt() > 0) {
        out.put(key, v.asInt());
      } else if (v.isNumber() && v.asInt() < 0) {
        throw new ApiException.BadRequest("The number of backups to keep cannot be negative.");
      }
    }
    return out.isEmpty() ? null : out;
  }

  // --- locations ---------------------------------------------------------------------------------

  ObjectNode locations() throws IOException {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ArrayNode list = o.putArray("locations");
    for (LocationSpec spec : service.offsite().registry().list()) {
      ObjectNode l = list.addObject().put("name", spec.name())
          .put("kind", spec.url().getScheme()).put("host", spec.url().getHost())
          .put("port", spec.url().getPort()).put("user", spec.url().getUserInfo())
          .put("path", spec.url().getPath());
      l.put("host_key", spec.option("hostKey").orElse(null));
      ArrayNode secrets = l.putArray("secrets");
      spec.secrets().keySet().stream().sorted().forEach(secrets::add); // names only, never values
    }
    return o;
  }

  /**
   * {@code POST /haven/locations} adds the body's location ({@code test: true}: only tries it).
   * An SFTP server's key that is not pinned yet is answered with its fingerprint, for the
   * panel to ask the user; with {@code trust_host_key} set to that fingerprint it is pinned.
   */
  ObjectNode addOrTest(JsonNode body, boolean save) throws IOException {
    LocationSpec spec = spec(body);
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    Optional<HostKey> key = Locations.hostKey(spec);
    if (key.isPresent() && !key.get().trusted()) {
      String trust = body.path("trust_host_key").asText("");
      if (!trust.equals(key.get().fingerprint())) {
        return o.put("ok", false).put("host_key", key.get().fingerprint());
      }
      spec = spec.withOption("hostKey", key.get().fingerprint());
    }
    LocationCheck.Report report = LocationCheck.run(spec);
    if (!report.ok()) {
      return o.put("ok", false).put("step", report.failed().get().name().toLowerCase(Locale.ROOT))
          .put("message", stepWords(report.failed().get()));
    }
    if (save) {
      if (service.offsite().registry().get(spec.name()).isPresent()) {
        throw new ApiException.BadRequest("A location named “" + spec.name() + "” exists"
            + " already. Choose another name.");
      }
      service.offsite().registry().add(spec);
    }
    return o.put("ok", true);
  }

  private static String stepWords(LocationCheck.Step step) {
    switch (step) {
      case CONNECT:
        return "Haven could not connect: check the address, the user name and the password"
            + " or key.";
      case WRITE:
        return "Haven connected but could not write there: check the folder and its"
            + " permissions.";
      case READ:
      case COMPARE:
        return "Haven wrote a test file but could not read it back correctly.";
      default:
        return "Haven could not delete its test file: check the permissions.";
    }
  }

  void removeLocation(String name) throws IOException {
    if (!service.offsite().removeLocation(name)) {
      throw new ApiException.BadRequest("There is no location named “" + name + "”.");
    }
  }

  // The panel's fields, as the locations file keeps them: a URL, options and secrets.
  private static LocationSpec spec(JsonNode b) throws ApiException {
    String kind = b.path("kind").asText("");
    String name = b.path("name").asText("").trim();
    if (!name.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
      throw new ApiException.BadRequest("Give the location a name of lower-case letters, digits,"
          + " - and _, starting with a letter or digit.");
    }
    String host = b.path("host").asText("").trim();
    String user = b.path("user").asText("").trim();
    String path = "/" + b.path("path").asText("").trim().replaceAll("^/+", "");
    int port = b.path("port").asInt(-1);
    URI url;
    try {
      switch (kind) {
        case "file":
          url = new URI("file", null, path, null);
          break;
        case "s3":
          url = new URI("s3", b.path("bucket").asText("").trim(), path.equals("/") ? "" : path,
              null);
          break;
        case "sftp":
        case "smb":
        case "webdav":
        case "webdavs":
          if (host.isEmpty()) {
            throw new ApiException.BadRequest("Give the server's address.");
          }
          url = new URI(kind, user.isEmpty() ? null : user, host, port, path, null, null);
          break;
        default:
          throw new ApiException.BadRequest("Choose the kind of location.");
      }
    } catch (URISyntaxException e) {
      throw new ApiException.BadRequest("The address or folder has characters that cannot be"
          + " used.");
    }
    LocationSpec spec = new LocationSpec(name, url, Map.of(), Map.of());
    for (String secret : new String[] {LocationSpec.PASSWORD, LocationSpec.ACCESS_KEY,
        LocationSpec.SECRET_KEY, LocationSpec.KEY_FILE}) {
      String v = b.path(secret).asText("");
      if (!v.isEmpty()) {
        spec = spec.withSecret(secret, v);
      }
    }
    for (String option : new String[] {"endpoint", "region"}) {
      String v = b.path(option).asText("");
      if (!v.isEmpty()) {
        spec = spec.withOption(option, v);
      }
    }
    if (kind.equals("s3") && !b.path("endpoint").asText("").isEmpty()) {
      spec = spec.withOption("pathStyle", "true");
    }
    return spec;
  }

  // --- the encryption key ------------------------------------------------------------------------

  /** {@code GET /haven/key}: the current key (made on first use) and how many old ones. */
  ObjectNode key() throws IOException {
    BackupKey current = service.keys().current();
    return JsonNodeFactory.instance.objectNode().put("key", current.value())
        .put("created", current.created().toString())
        .put("old_keys", service.keys().all().size() - 1);
  }

  /** {@code POST /haven/key/new}: a new key; the old one is kept for older backups. */
  ObjectNode renewKey() throws IOException {
    service.keys().renew();
    return key();
  }

  /** The emergency kit's text and file name, for the panel to offer as a download. */
  ObjectNode kit() throws IOException {
    return JsonNodeFactory.instance.objectNode()
        .put("file_name", EmergencyKit.fileName(clock.instant(), clock.getZone()))
        .put("text", EmergencyKit.text(service.keys().all(),
            service.backups().device().board().model(), clock.instant(), clock.getZone()));
  }
}
