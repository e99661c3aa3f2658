package io.haven.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.archive.BackupArchive;
import io.haven.archive.Part;
import io.haven.backup.BackupResult;
import io.haven.device.DeviceFacts;
import io.haven.device.Space;
import io.haven.testing.HaFixtures;
import io.haven.testing.Sysfs;
import io.haven.tree.DataRoot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightTest {
  static final WriteRate RATE = new WriteRate(10e6, "a rate given by the test");

  @TempDir Path tmp;
  Path backupDir;
  Path target;
  BackupResult backup;

  /** The source: a Pi 4 on an SD card with a ConBee II and a Z-Stick 7. */
  @BeforeEach
  void backUpAPi4() throws Exception {
    Path source = SourceBackup.dataRoot(tmp.resolve("source"));
    backupDir = Files.createDirectories(tmp.resolve("backup"));
    Path sys = Sysfs.pi4(tmp.resolve("pi4-sys")).withConBeeAndZStick().root;
    backup = SourceBackup.backup(source, backupDir, sys);
    target = Files.createDirectories(tmp.resolve("target"));
  }

  PreflightReport preflight(DeviceFacts facts, List<Part> parts) throws Exception {
    try (BackupArchive archive = BackupArchive.open(backup.file())) {
      return new Preflight(facts, new DataRoot(target), RATE)
          .check(archive, new RestoreRequest(parts, Optional.empty()));
    }
  }

  DeviceFacts onto(Sysfs sys) {
    return DeviceFacts.collect(sys.root, target, backupDir);
  }

  /** The same device with this much room on the data root's disk, whatever this machine has. */
  static DeviceFacts withSpace(DeviceFacts d, Space space) {
    return new DeviceFacts(d.board(), d.disks(), d.usbDevices(), d.radios(),
        new DeviceFacts.Place(d.dataRoot().path(), d.dataRoot().disk(), space), d.backupDir());
  }

  @Test
  void raspBeeLeftBehindBlocksAndEachInterfaceOfAComboStickIsMatchedOnItsOwn() throws Exception {
    String host = "platform/scb/fd500000.pcie/pci0000:00/0000:00:00.0/0000:01:00.0/usb1/1-1";
    Sysfs source = Sysfs.pi4(tmp.resolve("raspbee-sys")).piUarts(true).raspBeeIIClock()
        .usb(host, "1-1.4", "10c4:8a2a", "Silicon Labs", "HubZ Smart Home Controller", "C0F0",
            "ttyUSB0")
        .usbInterface(host, "1-1.4", "1.1", "01", "HubZ ZigBee Com Port", "ttyUSB1")
        .usbInterfaceName(host, "1-1.4", "1.0", "HubZ Z-Wave Com Port");
    backup = SourceBackup.backup(SourceBackup.dataRoot(tmp.resolve("source2")),
        Files.createDirectories(tmp.resolve("backup2")), source.root);
    Sysfs onto = Sysfs.pi4(tmp.resolve("plain-sys"))
        .usb(host, "1-1.4", "10c4:8a2a", "Silicon Labs", "HubZ Smart Home Controller", "C0F0",
            "ttyUSB0")
        .usbInterface(host, "1-1.4", "1.1", "01", "HubZ ZigBee Com Port", "ttyUSB1")
        .usbInterfaceName(host, "1-1.4", "1.0", "HubZ Z-Wave Com Port");

    PreflightReport r = preflight(onto(onto), List.of());

    List<Finding> radios = r.check("radio");
    assertEquals(1, radios.size(), r.toJson().toPrettyString());
    assertEquals(Finding.Severity.BLOCKING, radios.get(0).severity());
    assertEquals("The zigbee radio dresden elektronik RaspBee II (/dev/ttyAMA0) is not attached."
        + " Fit it and enable its UART before restoring, or its devices will be unavailable.",
        radios.get(0).message());
    assertTrue(radios.get(0).action().startsWith("Fit (or enable the UART of) dresden elektronik"
        + " RaspBee II"), radios.get(0).action());
  }

  @Test
  void yellowWithoutTheSticksBlocksOnTheZWaveStickAndWarnsOfTheEmmc() throws Exception {
    PreflightReport r = preflight(onto(Sysfs.yellow(tmp.resolve("yellow"), null)), List.of());

    assertFalse(r.passed());
    assertEquals(1, r.blocking().size(), r.toJson().toPrettyString());
    Finding missing = r.blocking().get(0);
    assertEquals("radio", missing.check());
    assertTrue(missing.message().startsWith("The zwave radio Aeotec Z-Stick 7 (/dev/serial/by-id/"
        + Sysfs.ZSTICK_BY_ID + ") is not attached."), missing.message());
    assertTrue(missing.action().startsWith("Plug in Aeotec Z-Stick 7"), missing.action());

    // The Yellow's built-in radio takes over Zigbee: a migration, not a missing stick.
    Finding zigbee = r.check("radio").stream().filter(f -> f.severity() == Finding.Severity.WARNING)
        .findFirst().orElseThrow();
    assertTrue(zigbee.message().contains("was dresden elektronik ConBee II and is now Home"
        + " Assistant Yellow built-in radio"), zigbee.message());
    assertTrue(zigbee.action().contains("Migrate radio"), zigbee.action());

    Finding disk = r.check("data_disk").get(0);
    assertEquals(Finding.Severity.WARNING, disk.severity());
    assertTrue(disk.message().startsWith("The data root is on eMMC mmcblk0 DG4032, 31.3 GB while"
        + " an NVMe (NVMe nvme0n1 Samsung SSD 980 250GB, 256.1 GB) is present on this Home"
        + " Assistant Yellow"), disk.message());
  }

  @Test
  void yellowWithTheDataRootOnTheNvmeHasNoDiskWarning() throws Exception {
    Sysfs yellow = Sysfs.yellow(tmp.resolve("yellow"), target.toRealPath().toString());
    PreflightReport r = preflight(onto(yellow), List.of());
    Finding disk = r.check("data_disk").get(0);
    assertEquals(Finding.Severity.INFO, disk.severity(), disk.message());
    assertEquals("The data root is on NVMe nvme0n1 Samsung SSD 980 250GB, 256.1 GB (the backup"
        + " came from SD card mmcblk0 SC32G, 31.9 GB).", disk.message());
  }

  @Test
  void samePi4WithBothSticksPasses() throws Exception {
    // Room to spare: the source used 57.9 GB, more than some machines running this have free.
    PreflightReport r = preflight(withSpace(onto(Sysfs.pi4(tmp.resolve("same"))
        .withConBeeAndZStick()), new Space(256_000_000_000L, 6_000_000_000L, 250_000_000_000L)),
        List.of());
    assertTrue(r.passed(), r.toJson().toPrettyString());
    assertEquals(List.of(Finding.info("radio", "All 2 radio(s) the backup used are attached, on"
        + " the same ports.")), r.check("radio"));
    assertEquals(List.of(), r.of(Finding.Severity.WARNING).stream()
        .filter(f -> !f.check().equals("network_storage")).toList());
  }

  @Test
  void tooLittleFreeSpaceBlocks() throws Exception {
    DeviceFacts real = onto(Sysfs.pi4(tmp.resolve("small")).withConBeeAndZStick());
    DeviceFacts small = withSpace(real, new Space(1_000_000, 999_000, 10));
    PreflightReport r = preflight(small, List.of());
    Finding space = r.blocking().get(0);
    assertEquals("space", space.check());
    assertTrue(space.message().startsWith("Not enough space on " + real.dataRoot().path()
        + ": the restore needs "), space.message());
    assertTrue(space.message().endsWith(", 10 B is free."), space.message());
  }

  @Test
  void httpsWithoutTheSslFolderWarnsThatTheWebServerWillNotStart() throws Exception {
    PreflightReport r = preflight(onto(Sysfs.pi4(tmp.resolve("p")).withConBeeAndZStick()),
        List.of(Part.homeAssistant()));
    Finding https = r.check("https").get(0);
    assertEquals(Finding.Severity.WARNING, https.severity());
    assertTrue(https.message().startsWith("Home Assistant serves https with /ssl/fullchain.pem ("
        + target.resolve("ssl/fullchain.pem") + "), but this restore does not bring"),
        https.message());

    SourceBackup.write(target.resolve("ssl/fullchain.pem"), "already here");
    Finding present = preflight(onto(Sysfs.pi4(tmp.resolve("q")).withConBeeAndZStick()),
        List.of(Part.homeAssistant())).check("https").get(0);
    assertEquals(Finding.Severity.INFO, present.severity(), present.message());
  }

  @Test
  void networkStorageIsNamedWithoutItsPassword() throws Exception {
    PreflightReport r = preflight(onto(Sysfs.pi4(tmp.resolve("n")).withConBeeAndZStick()),
        List.of());
    List<Finding> mounts = r.check("network_storage");
    assertEquals(2, mounts.size());
    assertTrue(mounts.get(0).message().startsWith("The source used network storage 'nas_media'"
        + " (nfs nas.local:/export/media, for media)"), mounts.get(0).message());
    assertTrue(mounts.get(1).message().contains("(cifs //nas.local/backups, for backup)"));
    assertFalse(backup.metadata().extra().toString().contains("hunter2"));
  }

  @Test
  void durationStatesItsBasis() throws Exception {
    PreflightReport r = preflight(onto(Sysfs.pi4(tmp.resolve("d")).withConBeeAndZStick()),
        List.of());
    Finding d = r.check("duration").get(0);
    assertTrue(d.message().startsWith("The restore will take under a minute: "), d.message());
    assertTrue(d.message().endsWith("at 10.0 MB/s (a rate given by the test)."), d.message());
    assertEquals("about 2 h 47 min", RATE.duration(100_000_000_000L));
  }

  @Test
  void homeAssistantBackupSaysWhichChecksWereSkipped() throws Exception {
    Path fixture = HaFixtures.path("backup_example.tar");
    DeviceFacts facts = onto(Sysfs.pi4(tmp.resolve("h")));
    try (BackupArchive archive = BackupArchive.open(fixture)) {
      PreflightReport r = new Preflight(facts, new DataRoot(target), RATE)
          .check(archive, new RestoreRequest(List.of(), Optional.empty()));
      assertTrue(r.passed(), r.toJson().toPrettyString());
      assertEquals(Finding.Severity.INFO, r.check("skipped").get(0).severity());
      assertTrue(r.check("space").get(0).message().contains("(at least: the backup records no"
          + " unpacked size)"), r.check("space").get(0).message());
      assertEquals(List.of(), r.check("radio"));
    }
  }

  @Test
  void reportPrintsBlockingFirstWithWhatToDo() throws Exception {
    PreflightReport r = preflight(onto(Sysfs.yellow(tmp.resolve("y"), null)), List.of());
    StringWriter s = new StringWriter();
    r.print(new PrintWriter(s, true));
    String text = s.toString();
    assertTrue(text.startsWith("BLOCKING radio            The zwave radio Aeotec Z-Stick 7"), text);
    assertTrue(text.contains("-> Plug in Aeotec Z-Stick 7"), text);
    assertTrue(text.endsWith("Preflight found 1 blocking problem(s) for "
        + backup.metadata().slug() + ".\n"), text);
  }

  @Test
  void writeProbeLeavesNothingAndSaysItMeasured() throws Exception {
    WriteRate rate = WriteRate.probe(target, 2 * 1024 * 1024);
    assertTrue(rate.basis().startsWith("measured: wrote 2.1 MB with fsync to " + target),
        rate.basis());
    try (var files = Files.list(target)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void aProbeFileLeftByAKillIsRemovedAtTheNextStart() throws Exception {
    Files.writeString(target.resolve(WriteRate.PROBE_PREFIX + "x"), "cut short");

    Restorer.recover(new DataRoot(target));

    try (var files = Files.list(target)) {
      assertEquals(0, files.count());
    }
  }
}
