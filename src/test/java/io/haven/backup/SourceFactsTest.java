package io.haven.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.haven.archive.Compression;
import io.haven.archive.Part;
import io.haven.archive.SecureTar;
import io.haven.config.Service;
import io.haven.config.Services;
import io.haven.device.DeviceFacts;
import io.haven.device.Disk;
import io.haven.store.BackupStore;
import io.haven.testing.Sysfs;
import io.haven.tree.DataRoot;
import io.haven.tree.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceFactsTest {
  @TempDir Path tmp;

  Path dataRoot() throws Exception {
    Path data = tmp.resolve("data");
    EstimatorTest.write(data.resolve("config/configuration.yaml"),
        "http:\n  ssl_certificate: /ssl/fullchain.pem\n  ssl_key: /ssl/privkey.pem\n");
    EstimatorTest.write(data.resolve("addons/data/core_mosquitto/m.conf"), "listener 1883\n");
    EstimatorTest.write(data.resolve("share/x"), "x");
    return data;
  }

  @Test
  void backupRecordsBoardDiskRadiosHttpsAndNetworkStorage() throws Exception {
    Path data = dataRoot();
    Path backups = Files.createDirectories(tmp.resolve("backup"));
    Path sys = Sysfs.yellow(tmp.resolve("sys"), data.toRealPath().toString())
        .mount("0:55", "/mnt/media", "nfs4", "nas.local:/export/media").root;
    BackupCreator creator = new BackupCreator(new DataRoot(data), new BackupStore(backups),
        Clock.systemUTC(), "9.9", () -> SourceFacts.of(DeviceFacts.collect(sys, data, backups),
            data, sys, "9.9").toJson(), 1);

    BackupResult r = creator.create(request(), Progress.NONE);

    JsonNode source = r.metadata().extra().at("/haven/source");
    assertEquals("HOME_ASSISTANT_YELLOW", source.at("/board/kind").asText());
    assertEquals("NVME", source.at("/data_disk/kind").asText());
    assertEquals(256_060_514_304L, source.at("/data_disk/size_bytes").asLong());
    assertTrue(source.at("/disk_used").asLong() > 0);
    assertEquals("Home Assistant Yellow built-in radio", source.at("/radios/0/model").asText());
    assertEquals("/ssl/fullchain.pem", source.at("/https/ssl_certificate").asText());
    assertEquals("nas.local:/export/media", source.at("/network_storage/0/source").asText());
    assertEquals("9.9", source.at("/haven_version").asText());

    SourceFacts back = SourceFacts.fromJson(source).orElseThrow();
    assertEquals(Disk.Kind.NVME, back.dataDisk().orElseThrow().kind());
    assertEquals(1, back.radios().size());
    assertTrue(back.https());
  }

  @Test
  void coldAddonIsStoppedOnlyWhileItsPartIsWritten() throws Exception {
    Path data = dataRoot();
    Path events = tmp.resolve("events");
    List<String> log = new ArrayList<>();
    Services services = new Services(List.of(new Service("core_mosquitto",
        Optional.of("echo stop >> " + events), Optional.of("echo start >> " + events),
        Optional.empty(), Optional.empty(), Duration.ofSeconds(10), true)));
    BackupCreator creator = new BackupCreator(new DataRoot(data),
        new BackupStore(tmp.resolve("backup")), Clock.systemUTC(), "t",
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance::objectNode, 1)
        .withHooks(new ServiceHooks(services, data, log::add));

    creator.create(request(), new Progress() {
      @Override
      public void stage(String stage) {
        log.add("stage " + stage);
      }
    });

    assertEquals(List.of("stop", "start"), Files.readAllLines(events));
    int stop = log.indexOf("stop core_mosquitto: echo stop >> " + events);
    assertTrue(stop > log.indexOf("stage addons") && stop < log.indexOf("stage folders"),
        log.toString());
    assertFalse(new ServiceHooks(services, data, log::add) == null);
    assertEquals(List.of(Part.homeAssistant(), Part.addon("core_mosquitto"), Part.folder("share")),
        new DataRoot(data).present());
  }

  static BackupRequest request() {
    return new BackupRequest("x", List.of(), Optional.empty(), Compression.ZSTD,
        SecureTar.Version.V3, false, Optional.empty());
  }
}
