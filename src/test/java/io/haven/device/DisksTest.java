package io.haven.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.testing.Sysfs;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DisksTest {
  @TempDir Path root;

  @Test
  void piSdCardIsTheOnlyDiskAndHoldsTheDataRoot() {
    Appliances.pi4(root);
    Disks disks = new Disks(root);
    Disk sd = new Disk("mmcblk0", Disk.Kind.SD, 62_333_952L * 512, "SC32G", false);
    assertEquals(List.of(sd), disks.list(), "ram0 and loop0 are not mounted, so not listed");
    assertEquals(Optional.of(sd), disks.holding("/data"));
    assertEquals(Optional.of(sd), disks.holding("/boot/firmware/config.txt"));
  }

  @Test
  void pi5BootsFromNvmeAndItsDataIsThere() {
    Appliances.pi5(root);
    Disks disks = new Disks(root);
    Disk nvme = new Disk("nvme0n1", Disk.Kind.NVME, 1_000_215_216L * 512, "WD Blue SN580 500GB",
        false);
    assertEquals(List.of(nvme), disks.list());
    assertEquals(Optional.of(nvme), disks.holding("/data"));
    assertEquals(Board.Kind.RASPBERRY_PI_5, Board.read(root).kind());
    List<Radio> radios = new UsbRadios(root).radios();
    assertEquals(1, radios.size(), radios.toString());
    assertEquals("Home Assistant SkyConnect", radios.get(0).model());
  }

  @Test
  void yellowHasEmmcAndNvmeAndItsDataIsOnTheNvme() {
    Appliances.yellow(root, "/mnt/data");
    Disks disks = new Disks(root);
    List<Disk> all = disks.list();
    assertEquals(List.of(
        new Disk("mmcblk0", Disk.Kind.EMMC, 61_071_360L * 512, "DG4032", false),
        new Disk("nvme0n1", Disk.Kind.NVME, 500_118_192L * 512, "Samsung SSD 980 250GB", false)),
        all, "eMMC boot areas, RPMB and the NVMe's hidden path device nvme0c0n1 are left out");
    assertEquals("nvme0n1", disks.holding("/mnt/data/supervisor").orElseThrow().name());
    assertEquals("mmcblk0", disks.holding("/mnt/database").orElseThrow().name(),
        "a sibling with a common prefix is not inside /mnt/data");
  }

  @Test
  void nvmeBehindMultipathIsOneDiskOfItsSubsystemAndItsHiddenPathIsNot() {
    Sysfs.empty(root)
        .deviceTree("Raspberry Pi 5 Model B Rev 1.0", "raspberrypi,5-model-b\0brcm,bcm2712")
        .nvmeMultipath(Appliances.PI5_NVME, 2_000_409_264, "Samsung SSD 990 PRO 1TB", 2)
        .mount("259:3", "/", "ext4");
    Disks disks = new Disks(root);
    assertTrue(disks.disk("nvme0c0n1").isPresent(), "the path device is in /sys/block");
    Disk seen = new Disk("nvme0n1", Disk.Kind.NVME, 2_000_409_264L * 512, "Samsung SSD 990 PRO 1TB",
        false);
    assertEquals(List.of(seen), disks.list());
    assertEquals(Optional.of(seen), disks.holding("/data"));
  }

  @Test
  void greenHasItsEmmc() {
    Appliances.green(root);
    Disk emmc = new Disks(root).holding("/mnt/data/supervisor/homeassistant").orElseThrow();
    assertEquals(Disk.Kind.EMMC, emmc.kind());
    assertEquals("/dev/mmcblk0", emmc.devicePath());
  }

  @Test
  void x86HasAVirtioDiskAndAUsbSsdHoldingTheBackups() {
    Appliances.x86(root, "/media/backup disk");
    Disks disks = new Disks(root);
    assertEquals(List.of(
        new Disk("sda", Disk.Kind.USB, 1_953_525_168L * 512, "Extreme 55AE", false),
        new Disk("vda", Disk.Kind.VIRTIO, 67_108_864L * 512, "", false)), disks.list());
    assertEquals("sda", disks.holding("/media/backup disk/x.tar").orElseThrow().name(),
        "mountinfo's \\040 is a space");
    assertEquals("vda", disks.holding("/media/backup").orElseThrow().name());
  }

  @Test
  void sdDiskNotOnUsbIsSata() {
    Sysfs.empty(root).disk("sda", "pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0",
        1000, "8:0", "model=WDC WD10EZEX");
    assertEquals(Disk.Kind.SATA, new Disks(root).list().get(0).kind());
  }

  @Test
  void pathOnAFileSystemWithoutABlockDeviceHasNoDisk() {
    Appliances.pi4(root).mount("0:30", "/tmp", "tmpfs");
    assertTrue(new Disks(root).holding("/tmp/x").isEmpty());
  }

  @Test
  void mountedLoopDeviceIsListed() {
    Appliances.pi4(root).mount("7:0", "/mnt/image", "squashfs");
    assertTrue(new Disks(root).list().stream().anyMatch(d -> d.name().equals("loop0")));
  }

  @Test
  void noSysfsMeansNoDisks() {
    assertEquals(List.of(), new Disks(root).list());
    assertTrue(new Disks(root).holding("/").isEmpty());
  }
}
