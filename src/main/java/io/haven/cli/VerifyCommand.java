package io.haven.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.agent.Backups;
import io.haven.agent.OffsiteBackups;
import io.haven.agent.Service;
import io.haven.archive.ArchiveException;
import io.haven.archive.BackupArchive;
import io.haven.archive.Secret;
import io.haven.archive.Verifier;
import io.haven.config.Config;
import io.haven.config.ConfigException;
import io.haven.failure.ExitCode;
import io.haven.failure.Sizes;
import io.haven.store.BackupStore;
import io.haven.store.StoredBackup;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code haven verify} and {@code haven backups verify}: reads every byte of every part and checks
 * it. The exit status is that of the first problem found (10 for damage), 0 when all is intact.
 *
 * <p>A backup of the backup directory (by slug, by its path there, or with {@code --all}) is
 * checked through {@link Backups#verify(StoredBackup, Optional)}, as the API's verify is, so its
 * outcome is recorded for retention; any other file is only read, and nothing is recorded.
 */
@Command(name = "verify", description = "Read every part of a backup to its end and check it:"
    + " decryption and authentication, decompression, every tar entry, Haven's checksums."
    + " With --all, every backup in the backup directory.")
final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin BackupsCommand.Output output;

  @Parameters(index = "0", arity = "0..1", paramLabel = "SLUG|FILE",
      description = "A backup file, or a slug in the backup dir.")
  String archive;

  @Option(names = "--all", description = "Verify every stored backup, one after another.")
  boolean all;

  @Option(names = {"-l", "--location"}, paramLabel = "NAME", description = "Check the restic"
      + " repository this location is, as restic's check does.")
  String location;

  @Option(names = "--read-data", description = "With --location: read every blob of every"
      + " pack too.")
  boolean readData;

  @Mixin PasswordOptions password;

  @Option(names = "--key", paramLabel = "HEX",
      description = "A raw 16-byte AES key in hex, for SecureTar v1 tools that used one.")
  String key;

  @Override
  public Integer call() throws Exception {
    HavenCommand haven = HavenCommand.above(spec);
    Optional<Secret> secret = ArchiveArgument.secret(password, key, spec);
    if (location != null && !all && archive == null) {
      return checkRepository(haven.service().offsite().check(location, readData));
    }
    if (all == (archive != null)) {
      throw Usage.error(spec, "name one backup (SLUG or FILE) or give --all");
    }
    Config config = haven.config();
    if (all) {
      return verifyAll(backups(config), secret);
    }
    Optional<StoredBackup> stored = ArchiveArgument.stored(new BackupStore(config.backupDir()), archive);
    if (stored.isPresent()) {
      return report(backups(config).verify(stored.get(), secret));
    }
    try (BackupArchive a = BackupArchive.open(Path.of(archive))) {
      return report(Verifier.verify(a, backups(config).keys().opening(a, secret)));
    }
  }

  private int checkRepository(OffsiteBackups.RepositoryCheck r) {
    if (output.json) {
      ObjectNode data = JsonNodeFactory.instance.objectNode();
      data.put("repository", r.repository()).put("intact", r.ok());
      r.errors().forEach(data.withArray("errors")::add);
      r.notes().forEach(data.withArray("notes")::add);
      output.printJson(data);
    } else {
      r.notes().forEach(n -> output.out().println("note: " + n));
      r.errors().forEach(e -> output.out().println("BAD: " + e));
      output.out().println(r.repository() + (r.ok() ? ": intact" : ": DAMAGED")
          + (readData ? " (every blob read)" : ""));
    }
    if (!r.ok()) {
      output.err().println("error: " + r.errors().get(0));
      return ExitCode.CORRUPT;
    }
    return ExitCode.OK;
  }

  // The same verify the API runs, which records its outcome beside the backups.
  private static Backups backups(Config config) throws ConfigException {
    return new Service(config, Clock.systemUTC(), Version.current()).backups();
  }

  // Each backup on its own: a damaged or unopenable one is named and the rest still checked.
  private int verifyAll(Backups backups, Optional<Secret> secret) throws Exception {
    BackupStore.Listing listing = backups.list();
    int first = ExitCode.OK;
    int bad = 0;
    for (StoredBackup b : listing.backups()) {
      int code = verifyStored(backups, b, secret);
      first = first == ExitCode.OK ? code : first;
      bad += code == ExitCode.OK ? 0 : 1;
    }
    for (String problem : listing.unreadable()) {
      output.out().println(problem);
      output.err().println("error: not a readable backup: " + problem);
      first = first == ExitCode.OK ? ExitCode.CORRUPT : first;
    }
    int checked = listing.backups().size();
    String unread = listing.unreadable().isEmpty() ? "" : "; " + count(listing.unreadable().size(),
        "file") + " could not be read as " + (listing.unreadable()
        .size() == 1 ? "a backup" : "backups") + " (named above)";
    output.out().println(count(checked, "backup") + " checked: " + (bad == 0 ? "all intact"
        : (checked - bad) + " intact, " + bad + " NOT intact") + unread + ".");
    return first;
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private int verifyStored(Backups backups, StoredBackup b, Optional<Secret> secret)
      throws Exception {
    if (b.metadata().isProtected() && backups.keys().opening(b.file(), secret).isEmpty()) {
      // Its outer tar and backup.json were read to list it; the parts need the password.
      output.out().println(b.slug() + ": protected; checked only its outer layout and"
          + " backup.json (no kept key opens it: give --password to read its parts)");
      return ExitCode.OK;
    }
    try {
      return report(backups.verify(b, secret));
    } catch (ArchiveException e) {
      output.out().println(b.slug() + ": " + e.getMessage());
      output.err().println("error: " + b.slug() + ": " + e.getMessage());
      return e.exitCode();
    }
  }

  private int report(Verifier.Report r) {
    if (output.json) {
      output.printJson(toJson(r));
    } else {
      print(r);
    }
    if (!r.intact()) {
      output.err().println("error: " + r.firstProblem().get().getMessage());
      return r.firstProblem().get().exitCode();
    }
    return ExitCode.OK;
  }

  private void print(Verifier.Report r) {
    for (Verifier.PartResult p : r.parts()) {
      output.out().printf("%-20s %-4s %-6s %-5s %7d entries %10s  %s%n", p.member(),
          p.problem().isEmpty() ? "ok" : "BAD", p.compression(),
          p.encryption().map(v -> v.name().toLowerCase()).orElse("-"), p.entries(),
          Sizes.human(p.fileBytes()), p.problem().map(Throwable::getMessage)
              .orElse(p.matchedFacts() ? "checksum matches" : ""));
    }
    output.out().println(r.archive() + (r.intact() ? ": intact" : ": DAMAGED"));
  }

  private static ObjectNode toJson(Verifier.Report r) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("archive", r.archive());
    data.put("intact", r.intact());
    ArrayNode parts = data.putArray("parts");
    for (Verifier.PartResult p : r.parts()) {
      ObjectNode o = parts.addObject();
      o.put("part", p.part().id()).put("member", p.member()).put("stored", p.stored())
          .put("encryption", p.encryption().map(Enum::name).orElse("none"))
          .put("compression", p.compression().toString()).put("entries", p.entries())
          .put("file_bytes", p.fileBytes())
          .put(p.keyed() ? "hmac_sha256" : "sha256", p.sha256()) // as backup.json names it
          .put("checksum_matched", p.matchedFacts());
      p.problem().ifPresent(e -> o.put("problem", e.getMessage()));
    }
    return data;
  }
}
