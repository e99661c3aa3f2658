package io.haven.cli;

import io.haven.location.HostKey;
import io.haven.location.LocationException;
import io.haven.location.LocationSpec;
import io.haven.location.Locations;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code locations add} and {@code locations set} change: options, secrets and, for SFTP,
 * the pinned host key. A secret's name given as an option goes to the secrets, so no listing
 * shows it.
 */
final class LocationSettings {
  @Option(names = "--password-file", paramLabel = "FILE",
      description = "A file whose first line is the password (or S3 secret key, or a restic"
          + " repository's password).")
  Path passwordFile;

  @Option(names = "--key-file", paramLabel = "FILE", description = "An SSH private key (SFTP).")
  Path keyFile;

  @Option(names = "--option", paramLabel = "KEY=VALUE",
      description = "A protocol option, e.g. endpoint=..., region=..., pathStyle=true,"
          + " knownHosts=FILE; a secret such as accessKey=... or secretKey=... is kept with the"
          + " secrets (repeatable).")
  List<String> options = new ArrayList<>();

  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--trust-host-key", description = "SFTP: trust the key the server presents"
      + " now and pin it (check its fingerprint first).")
  boolean trustHostKey;

  /** {@code spec} with these settings; for SFTP, its host key shown or pinned on {@code out}. */
  LocationSpec applyTo(LocationSpec location, PrintWriter out) throws IOException {
    LocationSpec s = location;
    for (String o : options) {
      int eq = o.indexOf('=');
      if (eq <= 0) {
        throw Usage.error(spec, "--option '" + o + "' must be KEY=VALUE");
      }
      String key = o.substring(0, eq);
      String value = o.substring(eq + 1);
      LocationSpec before = s;
      s = Usage.parse(spec, "--option " + key, () -> value.isEmpty()
          && LocationSpec.secretName(key).isEmpty() ? before.withoutOption(key)
          : before.with(key, value));
    }
    if (passwordFile != null) {
      String scheme = String.valueOf(s.url().getScheme()).toLowerCase(java.util.Locale.ROOT);
      s = s.withSecret(scheme.startsWith("restic+") ? LocationSpec.REPOSITORY_PASSWORD
          : scheme.equals("s3") ? LocationSpec.SECRET_KEY : LocationSpec.PASSWORD,
          firstLine(passwordFile));
    }
    if (keyFile != null) {
      s = s.withSecret(LocationSpec.KEY_FILE, keyFile.toAbsolutePath().toString());
    }
    return hostKey(s, out);
  }

  // An SFTP server's key is never trusted silently: it is shown, and pinned when asked.
  private LocationSpec hostKey(LocationSpec s, PrintWriter out) throws IOException {
    Optional<HostKey> presented;
    try {
      presented = Locations.hostKey(s);
    } catch (LocationException.Unreachable e) {
      if (trustHostKey) {
        throw e;
      }
      out.println("Could not ask " + where(s) + " for its host key (" + e.getMessage() + ")."
          + " Once it is up: haven locations set " + s.name() + " --trust-host-key");
      return s;
    }
    if (presented.isEmpty() || presented.get().trusted() && !trustHostKey) {
      return s;
    }
    HostKey key = presented.get();
    if (trustHostKey) {
      out.println("Pinned the host key of " + where(s) + ": " + key.fingerprint() + " ("
          + key.algorithm() + ").");
      return s.withOption("hostKey", key.fingerprint());
    }
    out.println("The server " + where(s) + " presents the host key " + key.fingerprint() + " ("
        + key.algorithm() + "), which is not trusted yet. Compare it with the server's own"
        + " (ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub on the server), then trust it"
        + " with: haven locations set " + s.name() + " --trust-host-key");
    return s;
  }

  private static String where(LocationSpec s) {
    int port = s.url().getPort() < 0 ? 22 : s.url().getPort();
    return s.url().getHost() + ":" + port;
  }

  private static String firstLine(Path file) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line = in.readLine();
      return line == null ? "" : line.strip();
    }
  }
}
