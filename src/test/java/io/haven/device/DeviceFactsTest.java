package io.haven.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haven.failure.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceFactsTest {
  @TempDir Path root;
  @TempDir Path places;

  @Test
  void yellowDataRootIsOnTheNvmeWithItsSpace() throws Exception {
    Path data = Files.createDirectories(places.resolve("data")).toRealPath();
    Path backup = Files.createDirectories(places.resolve("backup")).toRealPath();
    Appliances.yellow(root, data.toString());

    DeviceFacts facts = DeviceFacts.collect(root, data, backup);

    assertEquals(Board.Kind.HOME_ASSISTANT_YELLOW, facts.board().kind());
    assertEquals(List.of(Disk.Kind.EMMC, Disk.Kind.NVME),
        facts.disks().stream().map(Disk::kind).toList());
    assertEquals("nvme0n1", facts.dataRoot().disk().name());
    assertEquals("mmcblk0", facts.backupDir().disk().name(), "the backup dir is on the root fs");
    Space space = facts.dataRoot().space();
    assertTrue(space.totalBytes() > 0 && space.freeBytes() <= space.totalBytes(), space.toString());
    assertEquals(List.of(DeviceTreeRadios.YELLOW_MODEL),
        facts.radios().stream().map(Radio::model).toList());
  }

  @Test
  void factsSerialiseToJsonWithTheirNames() throws Exception {
    Path backup = Files.createDirectories(places.resolve("backup")).toRealPath();
    Appliances.x86(root, backup.toString());

    String json = DeviceFacts.collect(root, places.resolve("no-data-yet"), backup).toJson();

    JsonNode tree = new ObjectMapper().readTree(json);
    assertEquals("Standard PC (Q35 + ICH9, 2009)", tree.at("/board/model").asText());
    assertEquals("USB", tree.at("/backupDir/disk/kind").asText());
    assertEquals("Home Assistant SkyConnect", tree.at("/radios/0/model").asText());
    assertEquals("/dev/ttyUSB0", tree.at("/usbDevices/0/serialPorts/0/port").asText());
    assertEquals("USB 10c4:ea60 interface 00, named SkyConnect",
        tree.at("/radios/0/recognisedBy").asText());
    assertTrue(tree.at("/dataRoot/space").isNull(), "a missing data root has no space: " + json);
    assertEquals("vda", tree.at("/dataRoot/disk/name").asText());
  }

  @Test
  void spaceOfAMissingDirectoryIsAConfigFailureNamingIt() {
    Path missing = places.resolve("nope");
    DeviceException e = assertThrows(DeviceException.class, () -> FileSystemSpace.of(missing));
    assertEquals("Cannot read the free space of " + missing + ": it does not exist. Create it or"
        + " check the configured data root and backup directory.", e.getMessage());
    assertEquals(ExitCode.CONFIG, e.exitCode());
  }

  @Test
  void spaceOfATempDirectoryAddsUp() throws Exception {
    Space space = FileSystemSpace.of(places);
    assertNotNull(space);
    assertTrue(space.usedBytes() + space.freeBytes() <= space.totalBytes(), space.toString());
  }

  @Test
  void placeOnNoBlockDeviceHasNoDisk() throws Exception {
    Appliances.pi4(root).mount("0:40", places.toRealPath().toString(), "tmpfs");
    DeviceFacts facts = DeviceFacts.collect(root, places, places);
    assertNull(facts.dataRoot().disk());
  }
}
