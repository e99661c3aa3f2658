package io.haven.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds the network storage a device uses: the Supervisor's {@code mounts.json} in the data root
 * (Home Assistant OS keeps its configured mounts there) and network file systems in the mount
 * table ({@code <sys root>/proc/self/mountinfo}). Secrets in either are never read into the result.
 */
final class NetworkMounts {
  private static final Set<String> NETWORK_TYPES = Set.of("nfs", "nfs4", "cifs", "smb3",
      "fuse.sshfs", "fuse.rclone", "davfs", "fuse.davfs2");
  private static final long MAX_BYTES = 1024 * 1024;
  private static final int MAX_LINES = 20_000;

  private NetworkMounts() {}

  static List<NetworkMount> find(Path dataRoot, Path sysRoot) {
    List<NetworkMount> found = new ArrayList<>(supervisorMounts(dataRoot.resolve("mounts.json")));
    for (NetworkMount m : systemMounts(sysRoot.resolve("proc/self/mountinfo"))) {
      if (found.stream().noneMatch(f -> f.source().equals(m.source()))) {
        found.add(m);
      }
    }
    return found;
  }

  private static List<NetworkMount> supervisorMounts(Path file) {
    List<NetworkMount> mounts = new ArrayList<>();
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
        return mounts;
      }
      for (JsonNode m : new ObjectMapper().readTree(file.toFile()).path("mounts")) {
        String server = m.path("server").asText("");
        String share = m.path("share").asText(m.path("path").asText(""));
        String type = m.path("type").asText("");
        String source = type.equals("nfs") ? server + ":" + share : "//" + server + "/" + share;
        mounts.add(new NetworkMount(m.path("name").asText(""), type, source,
            m.path("usage").asText("")));
      }
    } catch (IOException e) {
      // Not the Supervisor's file: no mounts from it.
    }
    return mounts;
  }

  /** mountinfo: "id parent maj:min root mountpoint options [optional...] - type source super". */
  private static List<NetworkMount> systemMounts(Path mountinfo) {
    List<NetworkMount> mounts = new ArrayList<>();
    if (!Files.isRegularFile(mountinfo)) {
      return mounts;
    }
    try (BufferedReader in = Files.newBufferedReader(mountinfo, StandardCharsets.UTF_8)) {
      String line;
      for (int n = 0; (line = in.readLine()) != null && n < MAX_LINES; n++) {
        String[] f = line.split(" ");
        int dash = List.of(f).indexOf("-");
        if (dash < 5 || dash + 2 >= f.length || !NETWORK_TYPES.contains(f[dash + 1])) {
          continue;
        }
        String point = unescape(f[4]);
        mounts.add(new NetworkMount(point, f[dash + 1], unescape(f[dash + 2]), ""));
      }
    } catch (IOException e) {
      return List.of();
    }
    return mounts;
  }

  /** The kernel writes space, tab, newline and backslash as octal escapes ("\040"). */
  private static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
