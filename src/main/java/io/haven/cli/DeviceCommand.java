package io.haven.cli;

import io.haven.device.DeviceFacts;
import io.haven.device.Disk;
import io.haven.device.Radio;
import io.haven.device.Space;
import io.haven.failure.ExitCode;
import io.haven.failure.Sizes;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code haven device}: the board, disks and radios, and where Haven's data lives. */
@Command(name = "device", description = "Show this device: board, disks (eMMC, SD, NVMe, USB,"
    + " virtio), which disk holds the data root and the backup dir, their space, and USB radios.")
final class DeviceCommand implements Callable<Integer> {
  @ParentCommand HavenCommand haven;
  @Mixin BackupsCommand.Output output;

  @Override
  public Integer call() throws Exception {
    DeviceFacts facts = haven.service().device();
    if (output.json) {
      output.out().println(facts.toJson());
    } else {
      print(facts, output.out());
    }
    return ExitCode.OK;
  }

  static void print(DeviceFacts f, PrintWriter out) {
    out.println("board:       " + f.board().model() + " (" + f.board().kind() + ")");
    out.println("disks:");
    for (Disk d : f.disks()) {
      out.printf("  %-12s %-6s %10s  %s%s%s%n", d.name(), d.kind(), Sizes.human(d.sizeBytes()),
          d.model().strip(), holds(d, f.dataRoot(), " [data root]"),
          holds(d, f.backupDir(), " [backup dir]"));
    }
    place("data root:   ", f.dataRoot(), out);
    place("backup dir:  ", f.backupDir(), out);
    out.println("radios:" + (f.radios().isEmpty() ? "      none" : ""));
    for (Radio r : f.radios()) {
      out.printf("  %-14s %s%s%s%n", r.protocol(), r.model(),
          r.vidPid().isEmpty() ? "" : " [" + r.vidPid() + "]",
          r.byIdPath().isEmpty() ? " " + r.port() : " " + r.byIdPath());
    }
  }

  private static String holds(Disk d, DeviceFacts.Place p, String label) {
    return p.disk() != null && p.disk().name().equals(d.name()) ? label : "";
  }

  private static void place(String label, DeviceFacts.Place p, PrintWriter out) {
    Space s = p.space();
    out.println(label + p.path() + " on " + (p.disk() == null ? "no local disk"
        : p.disk().name() + " (" + p.disk().kind() + ")") + (s == null ? ", space unknown"
        : ", " + Sizes.human(s.freeBytes()) + " free of " + Sizes.human(s.totalBytes())
            + ", " + Sizes.human(s.usedBytes()) + " used"));
  }
}
