package io.haven.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.archive.AddonInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An add-on's {@code ./addon.json}: taken from {@code addons/data/<slug>/addon.json} when the
 * data directory holds one in the Supervisor's shape, else made from what is known (slug, and name
 * and version when the file gives them).
 */
record AddonJson(AddonInfo info, byte[] bytes) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_BYTES = 1024 * 1024;

  static AddonJson read(Path dataDir, String slug) throws IOException {
    Path file = dataDir.resolve("addon.json");
    JsonNode given = JSON.createObjectNode();
    if (Files.isRegularFile(file) && Files.size(file) <= MAX_BYTES) {
      try {
        given = JSON.readTree(file.toFile());
      } catch (IOException e) {
        given = JSON.createObjectNode(); // not JSON: the add-on's own business, still backed up
      }
    }
    JsonNode system = given.path("system");
    String name = text(system, "name", text(given, "name", slug));
    String version = text(given, "version", text(system, "version", ""));
    AddonInfo info = new AddonInfo(slug, name, version);
    if (system.isObject() && given.has("user")) {
      return new AddonJson(info, Files.readAllBytes(file)); // already the Supervisor's shape
    }
    // The fields the Supervisor's add-on schemas require (user.version; system name, version,
    // slug, description, arch), so that it accepts the part on restore.
    ObjectNode o = JSON.createObjectNode();
    o.putObject("user").put("version", version).putObject("options");
    ObjectNode sys = o.putObject("system").put("slug", slug).put("name", name)
        .put("version", version).put("description", name);
    sys.putArray("arch").add("aarch64").add("amd64").add("armv7").add("armhf").add("i386");
    o.put("version", version);
    o.put("state", "started");
    return new AddonJson(info, o.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String text(JsonNode n, String key, String fallback) {
    JsonNode v = n.path(key);
    return v.isTextual() && !v.asText().isBlank() ? v.asText() : fallback;
  }
}
