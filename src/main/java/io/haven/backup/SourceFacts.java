package io.haven.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.device.DeviceFacts;
import io.haven.device.Disk;
import io.haven.device.Radio;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a backup records about the device it was made on, under {@code extra.haven.source}, so a
 * migration preflight can compare it with the target without opening a part: board, the data
 * root's disk, disk used, radios, https and network storage. Read back with {@link #fromJson};
 * keys a reader does not find (an older Haven) are unknown, never an error.
 *
 * @param boardModel "Raspberry Pi 4 Model B Rev 1.5"; "" when unknown
 * @param boardKind the board family ({@code Board.Kind} name); "" when unknown
 * @param dataDisk the disk holding the data root; empty when on no block device or unknown
 * @param diskUsed bytes in use on the data root's file system; -1 when unknown
 * @param dataBytes bytes of files the backup read; -1 when unknown
 * @param radios the radios attached at backup time
 * @param certificate {@code http: ssl_certificate}; empty when https was not configured
 * @param key {@code http: ssl_key}
 * @param networkStorage network storage in use
 * @param havenVersion the Haven that made the backup; "" when unknown
 */
public record SourceFacts(String boardModel, String boardKind, Optional<Disk> dataDisk,
    long diskUsed, long dataBytes, List<Radio> radios, Optional<String> certificate,
    Optional<String> key, List<NetworkMount> networkStorage, String havenVersion) {

  public SourceFacts {
    radios = List.copyOf(radios);
    networkStorage = List.copyOf(networkStorage);
  }

  public boolean https() {
    return certificate.isPresent();
  }

  /** What the device shows now; disk used and data bytes are filled in by the backup itself. */
  public static SourceFacts of(DeviceFacts device, Path dataRoot, Path sysRoot,
      String havenVersion) {
    HomeAssistantFacts ha = HomeAssistantFacts.read(dataRoot.resolve("config"));
    long used = device.dataRoot().space() == null ? -1 : device.dataRoot().space().usedBytes();
    return new SourceFacts(device.board().model(), device.board().kind().name(),
        Optional.ofNullable(device.dataRoot().disk()), used, -1, device.radios(),
        ha.certificate(), ha.key(), NetworkMounts.find(dataRoot, sysRoot), havenVersion);
  }

  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.putObject("board").put("model", boardModel).put("kind", boardKind);
    dataDisk.ifPresentOrElse(d -> o.putObject("data_disk").put("name", d.name())
        .put("kind", d.kind().name()).put("size_bytes", d.sizeBytes()).put("model", d.model())
        .put("removable", d.removable()), () -> o.putNull("data_disk"));
    o.put("disk_used", diskUsed);
    o.put("data_bytes", dataBytes);
    ArrayNode rs = o.putArray("radios");
    for (Radio r : radios) {
      rs.addObject().put("protocol", r.protocol()).put("model", r.model())
          .put("vid_pid", r.vidPid()).put("serial", r.serial()).put("port", r.port())
          .put("by_id", r.byIdPath());
    }
    ObjectNode https = o.putObject("https").put("configured", https());
    certificate.ifPresent(c -> https.put("ssl_certificate", c));
    key.ifPresent(k -> https.put("ssl_key", k));
    ArrayNode ns = o.putArray("network_storage");
    for (NetworkMount m : networkStorage) {
      ns.addObject().put("name", m.name()).put("type", m.type()).put("source", m.source())
          .put("usage", m.usage());
    }
    o.put("haven_version", havenVersion);
    return o;
  }

  /** Reads what a backup recorded; empty when it recorded nothing (a Home Assistant backup). */
  public static Optional<SourceFacts> fromJson(JsonNode o) {
    if (o == null || !o.isObject() || !o.has("board")) {
      return Optional.empty();
    }
    List<Radio> radios = new ArrayList<>();
    for (JsonNode r : o.path("radios")) {
      try {
        radios.add(new Radio(r.path("protocol").asText(""), r.path("model").asText(""),
            r.path("vid_pid").asText(""), r.path("serial").asText(""), r.path("port").asText(""),
            r.path("by_id").asText("")));
      } catch (IllegalArgumentException e) {
        // A radio entry this Haven cannot read is left out rather than failing the preflight.
      }
    }
    List<NetworkMount> mounts = new ArrayList<>();
    for (JsonNode m : o.path("network_storage")) {
      mounts.add(new NetworkMount(m.path("name").asText(""), m.path("type").asText(""),
          m.path("source").asText(""), m.path("usage").asText("")));
    }
    JsonNode https = o.path("https");
    return Optional.of(new SourceFacts(o.path("board").path("model").asText(""),
        o.path("board").path("kind").asText(""), disk(o.path("data_disk")),
        o.path("disk_used").asLong(-1), o.path("data_bytes").asLong(-1), radios,
        text(https.path("ssl_certificate")), text(https.path("ssl_key")), mounts,
        o.path("haven_version").asText("")));
  }

  private static Optional<Disk> disk(JsonNode d) {
    if (!d.isObject()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Disk(d.path("name").asText(""),
          Disk.Kind.valueOf(d.path("kind").asText("OTHER")), d.path("size_bytes").asLong(0),
          d.path("model").asText(""), d.path("removable").asBoolean(false)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> text(JsonNode n) {
    return n.isTextual() && !n.asText().isBlank() ? Optional.of(n.asText()) : Optional.empty();
  }
}
