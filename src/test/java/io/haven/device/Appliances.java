package io.haven.device;

import io.haven.testing.Sysfs;
import java.nio.file.Path;

/** The four appliances the tests look at, each laid out as its kernel shows it. */
final class Appliances {
  static final String PI_SD = "platform/emmc2bus/fe340000.mmc/mmc_host/mmc0/mmc0:aaaa";
  static final String PI_USB_HOST = "platform/scb/fd500000.pcie/pci0000:00/0000:00:00.0/0000:01:00.0/usb1/1-1";
  static final String PI5_SD = "platform/axi/1000fff000.mmc/mmc_host/mmc0/mmc0:aaaa";
  static final String PI5_NVME =
      "platform/axi/1000110000.pcie/pci0001:00/0001:00:00.0/0001:01:00.0/nvme/nvme0";
  static final String PI5_USB_HOST = "platform/axi/1000120000.pcie/1f00200000.usb/xhci-hcd.0/usb1/1-1";
  static final String CM4_EMMC = "platform/emmc2bus/fe340000.mmc/mmc_host/mmc0/mmc0:0001";
  static final String CM4_NVME = "platform/scb/fd500000.pcie/pci0000:00/0000:00:00.0/0000:01:00.0/nvme/nvme0";
  static final String GREEN_EMMC = "platform/fe2e0000.mmc/mmc_host/mmc0/mmc0:0001";
  static final String X86_VIRTIO = "pci0000:00/0000:00:04.0/virtio1";
  static final String X86_USB_SSD =
      "pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host0/target0:0:0/0:0:0:0";
  static final String X86_USB_HOST = "pci0000:00/0000:00:14.0/usb1";

  static final String CONBEE_BY_ID = "usb-dresden_elektronik_ingenieurtechnik_GmbH_ConBee_II_DE2654321-if00";
  static final String ZSTICK_BY_ID = "usb-0658_0200-if00";
  static final String SKYCONNECT_BY_ID =
      "usb-Nabu_Casa_SkyConnect_v1.0_9e2adbd75b8beb119fe564a0f320645d-if00-port0";

  private Appliances() {}

  /** Raspberry Pi 4, 32 GB SD card, root file system (and /data) on it; ConBee II + Z-Stick 7. */
  static Sysfs pi4(Path root) {
    return Sysfs.empty(root)
        .deviceTree("Raspberry Pi 4 Model B Rev 1.5", "raspberrypi,4-model-b\0brcm,bcm2711")
        .disk("mmcblk0", PI_SD, 62_333_952, "179:0", "type=SD", "name=SC32G")
        .partition("mmcblk0", PI_SD, "mmcblk0p1", "179:1")
        .partition("mmcblk0", PI_SD, "mmcblk0p2", "179:2")
        .disk("ram0", "virtual/block-ram", 8192, "1:0")
        .disk("loop0", "virtual/block-loop", 0, "7:0")
        .mount("179:2", "/", "ext4")
        .mount("179:1", "/boot/firmware", "vfat")
        .mount("0:22", "/proc", "proc")
        .usb(PI_USB_HOST, "1-1.2", "1cf1:0030", "dresden elektronik ingenieurtechnik GmbH",
            "ConBee II", "DE2654321", "ttyACM0")
        .usb(PI_USB_HOST, "1-1.3", "0658:0200", "", "", "", "ttyACM1")
        .file("/sys/devices/" + PI_USB_HOST + "/idVendor", "2109\n")
        .file("/sys/devices/" + PI_USB_HOST + "/idProduct", "3431\n")
        .link("/sys/bus/usb/devices/1-1", "../../../devices/" + PI_USB_HOST)
        .byId(CONBEE_BY_ID, "ttyACM0")
        .byId(ZSTICK_BY_ID, "ttyACM1");
  }

  /** Raspberry Pi 5 booting from an NVMe HAT (root and /data on it), SD slot empty; a SkyConnect. */
  static Sysfs pi5(Path root) {
    return Sysfs.empty(root)
        .deviceTree("Raspberry Pi 5 Model B Rev 1.0", "raspberrypi,5-model-b\0brcm,bcm2712")
        .disk("nvme0n1", PI5_NVME, 1_000_215_216, "259:0", "model=WD Blue SN580 500GB")
        .partition("nvme0n1", PI5_NVME, "nvme0n1p1", "259:1")
        .partition("nvme0n1", PI5_NVME, "nvme0n1p2", "259:2")
        .mount("259:2", "/", "ext4")
        .mount("259:1", "/boot/firmware", "vfat")
        .usb(PI5_USB_HOST, "1-1.1", "10c4:ea60", "Nabu Casa", "SkyConnect v1.0",
            "9e2adbd75b8beb119fe564a0f320645d", "ttyUSB0")
        .link("/sys/bus/usb/devices/1-1", "../../../devices/" + PI5_USB_HOST)
        .byId(SKYCONNECT_BY_ID, "ttyUSB0");
  }

  /**
   * Home Assistant Yellow: CM4 with 32 GB eMMC (boot areas and RPMB beside it) and a 256 GB NVMe
   * that holds {@code dataDir}, seen through NVMe multipath as Home Assistant OS's kernel has it.
   */
  static Sysfs yellow(Path root, String dataDir) {
    return Sysfs.empty(root)
        .deviceTree(Sysfs.YELLOW_MODEL, Sysfs.YELLOW_COMPATIBLE)
        .yellowRadioUart()
        .disk("mmcblk0", CM4_EMMC, 61_071_360, "179:0", "type=MMC", "name=DG4032")
        .disk("mmcblk0boot0", CM4_EMMC, 8192, "179:32")
        .disk("mmcblk0boot1", CM4_EMMC, 8192, "179:64")
        .disk("mmcblk0rpmb", CM4_EMMC, 8192, "179:96")
        .partition("mmcblk0", CM4_EMMC, "mmcblk0p8", "179:8")
        .nvmeMultipath(CM4_NVME, 500_118_192, "Samsung SSD 980 250GB", 1)
        .mount("179:8", "/", "ext4")
        .mount("259:2", dataDir, "ext4");
  }

  /** Home Assistant Green: 32 GB eMMC only. */
  static Sysfs green(Path root) {
    return Sysfs.empty(root)
        .deviceTree("Home Assistant Green", "ha,green\0rockchip,rk3566")
        .disk("mmcblk0", GREEN_EMMC, 61_071_360, "179:0", "type=MMC", "name=A3A551")
        .partition("mmcblk0", GREEN_EMMC, "mmcblk0p8", "179:8")
        .mount("179:8", "/mnt/data", "ext4");
  }

  /** A virtual x86-64 machine: virtio disk, a USB SSD holding {@code backupDir}, a SkyConnect. */
  static Sysfs x86(Path root, String backupDir) {
    return Sysfs.empty(root)
        .file("/sys/class/dmi/id/product_name", "Standard PC (Q35 + ICH9, 2009)\n")
        .disk("vda", X86_VIRTIO, 67_108_864, "252:0")
        .partition("vda", X86_VIRTIO, "vda1", "252:1")
        .disk("sda", X86_USB_SSD, 1_953_525_168, "8:0", "model=Extreme 55AE     ")
        .partition("sda", X86_USB_SSD, "sda1", "8:1")
        .mount("252:1", "/", "ext4")
        .mount("8:1", backupDir, "exfat")
        .usb(X86_USB_HOST, "1-2", "10c4:ea60", "Nabu Casa", "SkyConnect v1.0",
            "9e2adbd75b8beb119fe564a0f320645d", "ttyUSB0")
        .byId(SKYCONNECT_BY_ID, "ttyUSB0");
  }
}
