package io.haven.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.testing.Sysfs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoardTest {
  @TempDir Path root;

  @Test
  void piModelIsReadWithoutItsTrailingNul() {
    Appliances.pi4(root);
    Board board = Board.read(root);
    assertEquals(new Board("Raspberry Pi 4 Model B Rev 1.5", Board.Kind.RASPBERRY_PI_4), board);
  }

  @Test
  void computeModuleInAYellowIsAYellowWithABuiltInRadio() {
    Appliances.yellow(root, "/mnt/data");
    Board board = Board.read(root);
    assertEquals(Sysfs.YELLOW_MODEL, board.model());
    assertEquals(Board.Kind.HOME_ASSISTANT_YELLOW, board.kind());
    assertTrue(board.hasBuiltInRadio());
  }

  @Test
  void bareComputeModuleIsNotAYellow() {
    Sysfs.empty(root).deviceTree("Raspberry Pi Compute Module 4 Rev 1.0",
        "raspberrypi,4-compute-module\0brcm,bcm2711");
    assertEquals(Board.Kind.COMPUTE_MODULE_4, Board.read(root).kind());
  }

  @Test
  void greenIsRecognisedByItsModel() {
    Appliances.green(root);
    assertEquals(new Board("Home Assistant Green", Board.Kind.HOME_ASSISTANT_GREEN), Board.read(root));
  }

  @Test
  void x86BoardIsNamedByDmi() {
    Appliances.x86(root, "/backup");
    assertEquals(new Board("Standard PC (Q35 + ICH9, 2009)", Board.Kind.X86_64), Board.read(root));
  }

  @Test
  void unknownSystemIsGenericX86() {
    assertEquals(new Board("generic x86-64", Board.Kind.X86_64), Board.read(root));
  }

  @Test
  void modelFromProcIsPreferredAndPi5IsKnown() {
    Sysfs.empty(root).file("/proc/device-tree/model", "Raspberry Pi 5 Model B Rev 1.0\0");
    assertEquals(Board.Kind.RASPBERRY_PI_5, Board.read(root).kind());
  }
}
