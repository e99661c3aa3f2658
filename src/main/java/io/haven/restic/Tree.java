package io.haven.restic;

import io.haven.archive.ArchiveException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A directory listing as restic stores it in a tree blob: {"nodes":[...]}, sorted by name. */
record Tree(List<Node> nodes) {
  Tree {
    nodes = nodes == null ? List.of() : nodes;
  }

  /** The blob's bytes: the JSON and a newline, as restic writes them; nodes sorted by name. */
  static byte[] encode(List<Node> nodes) {
    List<Node> sorted = new ArrayList<>(nodes);
    sorted.sort((a, b) -> Arrays.compareUnsigned(a.name().getBytes(StandardCharsets.UTF_8),
        b.name().getBytes(StandardCharsets.UTF_8)));
    byte[] json = Json.write(new Tree(sorted));
    byte[] out = Arrays.copyOf(json, json.length + 1);
    out[json.length] = '\n';
    return out;
  }

  static Tree decode(byte[] blob, Id id) throws ArchiveException {
    return Json.read(blob, Tree.class, "tree " + id.shortId());
  }
}
