package io.haven.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.testing.Sysfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysTreeTest {
  @TempDir Path root;

  @Test
  void absoluteLinkIsResolvedInsideTheRootNotOnTheHost() {
    Sysfs.empty(root)
        .file("/fw/model", "Raspberry Pi 5 Model B Rev 1.0\0")
        .link("/proc/device-tree", "/fw");
    assertEquals(Optional.of("Raspberry Pi 5 Model B Rev 1.0"),
        new SysTree(root).read("/proc/device-tree/model"));
  }

  @Test
  void dotDotLinkCannotClimbAboveTheRoot() {
    Path inside = root.resolve("inside");
    Sysfs.empty(inside).link("/sys/class/leds/x", "../../../../../../../../../../../etc");
    SysTree sys = new SysTree(inside);
    assertTrue(sys.resolve("/sys/class/leds/x").isEmpty(), "there is no <root>/etc");
    Sysfs.empty(inside).dir("/etc");
    assertEquals(Optional.of(inside.resolve("etc")), sys.resolve("/sys/class/leds/x"));
  }

  @Test
  void linkLoopEndsAsMissing() {
    Sysfs.empty(root).link("/a", "b").link("/b", "a");
    assertTrue(new SysTree(root).read("/a").isEmpty());
  }

  @Test
  void largeFileIsReadOnlyUpToTheCap() throws Exception {
    Files.createDirectories(root.resolve("sys"));
    Files.write(root.resolve("sys/huge"), new byte[1 << 20]);
    Files.writeString(root.resolve("sys/big"), "x".repeat(100_000));
    SysTree sys = new SysTree(root);
    assertEquals(Optional.of(""), sys.read("/sys/huge"), "NUL padding is trimmed");
    assertEquals(SysTree.SMALL_FILE_CAP, sys.read("/sys/big").orElseThrow().length());
  }
}
