package io.haven.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.agent.Backups;
import io.haven.agent.Job;
import io.haven.agent.Place;
import io.haven.agent.RestoreBackup;
import io.haven.archive.Part;
import io.haven.failure.ExitCode;
import io.haven.restore.FileRestorer;
import io.haven.restore.PreflightReport;
import io.haven.restore.RestoreRequest;
import io.haven.restore.RestoreResult;
import io.haven.store.BackupStore;
import io.haven.store.StoredBackup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code haven backups restore}: a backup of the backup directory (by slug or its file there)
 * through the service, as the API restores; any other backup file is read where it lies, in this
 * process, under the same job lock.
 */
@Command(name = "restore",
    description = "Restore a backup: every part unless parts are named. The data root ends"
        + " exactly as before or exactly as restored, never in between.")
final class RestoreCommand implements Callable<Integer> {
  @ParentCommand BackupsCommand parent;
  @Spec CommandSpec spec;
  @Mixin BackupsCommand.Output output;
  @Mixin BackupsCommand.PartChoice choice;
  @Mixin PasswordOptions password;

  @Parameters(paramLabel = "SLUG|FILE",
      description = "A backup in the backup directory, or a backup file anywhere.")
  String archive;

  @Option(names = {"--force", "--ignore-preflight"},
      description = "Restore even when the preflight finds blocking problems.")
  boolean force;

  @Option(names = {"-l", "--location", "--from"}, paramLabel = "NAME", description = "Restore"
      + " from this location: a file:// location is read in place; from any other the backup"
      + " is downloaded into the backup directory and checked first.")
  String location;

  @Option(names = "--file", paramLabel = "PART/PATH", arity = "1..*", description = "Restore"
      + " only these files or folders, as 'haven backups ls' shows them (e.g."
      + " homeassistant/data/configuration.yaml), into their place in the data root; a folder"
      + " is replaced whole. Nothing else is extracted.")
  List<String> files = new ArrayList<>();

  @Option(names = "--to", paramLabel = "DIR",
      description = "With --file: write into DIR instead, never over existing names.")
  Path to;

  @Override
  public Integer call() throws Exception {
    if (!files.isEmpty() || to != null) {
      return restoreFiles();
    }
    RestoreRequest request = new RestoreRequest(choice.parts(spec),
        password.forReading().map(p -> p), force);
    TerminalProgress progress = new TerminalProgress(output.err());
    Consumer<PreflightReport> show = report -> {
      if (!output.json) {
        report.print(output.err());
      }
    };
    Optional<Path> elsewhere = location == null ? fileElsewhere() : Optional.empty();
    RestoreResult r;
    if (elsewhere.isPresent()) {
      try (Backups.Session session = parent.local().backups().open(jobName(request.isFull()
          ? "backup_manager_full_restore" : "backup_manager_partial_restore"))) {
        r = session.restore(elsewhere.get(), request, progress, show);
      }
    } else {
      r = parent.backups().restore(new RestoreBackup(slug(), Place.of(location), request),
          progress, show);
    }
    progress.finish();
    print(r);
    return ExitCode.OK;
  }

  private void print(RestoreResult r) {
    List<Part> parts = r.parts().stream().sorted().toList();
    if (output.json) {
      ObjectNode data = JsonNodeFactory.instance.objectNode();
      ArrayNode ids = data.putArray("parts");
      parts.forEach(p -> ids.add(p.id()));
      data.put("entries", r.entries());
      output.printJson(data);
      return;
    }
    output.out().println("Restored " + parts.stream().map(Part::toString)
        .collect(Collectors.joining(", ")) + " from " + archive + " (" + r.entries()
        + " entries).");
  }

  // A backup file that the backup directory does not list; empty for a slug or a listed file.
  private Optional<Path> fileElsewhere() throws Exception {
    return ArchiveArgument.stored(store(), archive).isPresent() ? Optional.empty()
        : Optional.of(Path.of(archive));
  }

  private String slug() throws Exception {
    if (location != null) {
      return archive;
    }
    return ArchiveArgument.stored(store(), archive).map(StoredBackup::slug).orElse(archive);
  }

  private BackupStore store() throws Exception {
    return new BackupStore(HavenCommand.above(spec).config().backupDir());
  }

  private int restoreFiles() throws Exception {
    if (files.isEmpty() || !choice.parts(spec).isEmpty() || location != null) {
      throw Usage.error(spec, "--to goes with --file; --file goes with neither parts"
          + " (-f/-a/--homeassistant) nor --location");
    }
    if (fileElsewhere().isPresent()) {
      throw Usage.error(spec, "--file restores from the backup directory; for a backup file"
          + " elsewhere use: haven restore-file " + archive + " PART/PATH");
    }
    TerminalProgress progress = new TerminalProgress(output.err());
    List<FileRestorer.Result> results;
    try (Backups.Session session = parent.local().backups().open(
        jobName("backup_manager_file_restore"))) {
      results = session.restoreFiles(slug(), password.forReading().map(p -> p), files,
          Optional.ofNullable(to), progress);
    }
    progress.finish();
    if (output.json) {
      ObjectNode data = JsonNodeFactory.instance.objectNode();
      ArrayNode written = data.putArray("files");
      results.forEach(r -> written.addObject().put("path", r.written().toString())
          .put("entries", r.entries()));
      output.printJson(data);
      return ExitCode.OK;
    }
    for (int i = 0; i < results.size(); i++) {
      FileRestorer.Result r = results.get(i);
      output.out().println("Restored " + files.get(i) + " to " + r.written() + " ("
          + r.entries() + (r.entries() == 1 ? " entry)." : " entries)."));
    }
    return ExitCode.OK;
  }

  private static String jobName(String kind) {
    return Job.label(UUID.randomUUID().toString().replace("-", ""), kind);
  }
}
