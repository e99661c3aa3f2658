package io.haven.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.agent.OffsiteBackups;
import io.haven.agent.Place;
import io.haven.archive.BackupJson;
import io.haven.failure.ExitCode;
import io.haven.failure.ExpectedFailure;
import io.haven.failure.Sizes;
import io.haven.store.OffsiteCopies;
import io.haven.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The offsite verbs under {@code haven backups}: copy and prune, and their shared printing. */
final class OffsiteCommands {
  private OffsiteCommands() {}

  @Command(name = "copy", description = "Copy a backup to locations and verify each copy;"
      + " a location that already holds a verified copy is skipped.")
  static final class Copy implements Callable<Integer> {
    @ParentCommand BackupsCommand parent;
    @Mixin BackupsCommand.Output output;
    @Parameters(paramLabel = "SLUG") String slug;

    @Option(names = {"-l", "--location", "--to"}, paramLabel = "NAME", required = true,
        description = "The location to copy to (repeatable).")
    List<String> locations = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      return report(parent.backups().copy(slug, locations.stream().map(Place.Named::new)
          .toList()), output);
    }
  }

  @Command(name = "prune", description = "Apply retention now to the backup directory and every"
      + " location: only automatic backups are deleted, never a location's last one. A restic"
      + " location then drops the data no backup there uses any more.")
  static final class Prune implements Callable<Integer> {
    @ParentCommand BackupsCommand parent;
    @Mixin BackupsCommand.Output output;

    @Option(names = "--dry-run", description = "Show what would be deleted; delete nothing.")
    boolean dryRun;

    @Option(names = {"-l", "--location"}, paramLabel = "NAME", description = "Only this"
        + " location; the backup directory and the other locations are left as they are.")
    String location;

    @Override
    public Integer call() throws Exception {
      OffsiteBackups.PruneResult result = location == null
          ? parent.local().offsite().prune(dryRun)
          : parent.local().offsite().prune(dryRun, location);
      List<OffsiteBackups.Pruned> pruned = result.deleted();
      if (output.json) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("dry_run", dryRun);
        ArrayNode items = data.putArray("deleted");
        pruned.forEach(p -> items.addObject().put("location", p.place().key()).put("slug", p.slug())
            .put("date", p.date()));
        ArrayNode freed = data.putArray("freed");
        result.freed().forEach(f -> freed.addObject().put("location", f.location())
            .put("bytes", f.reclaimed().bytesFreed())
            .put("packs_deleted", f.reclaimed().packsDeleted())
            .put("packs_repacked", f.reclaimed().packsRepacked()));
        output.printJson(data);
        return ExitCode.OK;
      }
      String verb = dryRun ? "would delete" : "deleted";
      for (OffsiteBackups.Pruned p : pruned) {
        output.out().println(verb + " " + p.slug() + " (" + p.date() + ") in " + p.place());
      }
      if (pruned.isEmpty()) {
        output.out().println("Nothing to delete.");
      }
      for (OffsiteBackups.Freed f : result.freed()) {
        output.out().println(f.reclaimed().bytesFreed() > 0 ? "freed "
            + Sizes.human(f.reclaimed().bytesFreed()) + " in " + f.location()
            + " of data no backup there uses any more" : "no unused data in " + f.location());
      }
      return ExitCode.OK;
    }
  }

  /** Prints each location's outcome; non-zero when any copy failed (the local backup stays). */
  static int report(List<OffsiteBackups.CopyOutcome> outcomes, BackupsCommand.Output output) {
    int code = ExitCode.OK;
    for (OffsiteBackups.CopyOutcome o : outcomes) {
      if (o.copy().isPresent()) {
        OffsiteCopies.Copy c = o.copy().get();
        // A restic repository checks each blob by its own ID; an archive is read back.
        output.err().println((c.alreadyThere() ? "already in " : "copied to ") + o.location()
            + ": " + c.name() + ", " + Sizes.human(c.size()) + (c.sha256().isEmpty() ? ""
            : ", sha256 " + c.sha256() + " (read back and compared)"));
        continue;
      }
      Exception e = o.failure().get();
      output.err().println("error: copy to " + o.location() + " failed: " + e.getMessage()
          + " The local backup is kept; run 'haven backups copy' again to retry.");
      code = e instanceof ExpectedFailure f ? f.exitCode() : ExitCode.LOCATION;
    }
    return code;
  }

  /** {@code haven backups info SLUG --location NAME}: as a listing shows it; fails NotFound. */
  static int printRemote(OffsiteBackups offsite, String location, String slug,
      BackupsCommand.Output output) throws Exception {
    OffsiteCopies.RemoteBackup b = offsite.list(location).backups().stream()
        .filter(r -> r.slug().equals(slug)).reduce((x, y) -> y).orElseThrow(() ->
            new StoreException.NotFound("No backup '" + slug + "' in " + location + ". See"
                + " 'haven backups list --location " + location + "'."));
    if (output.json) {
      output.printJson((ObjectNode) new ObjectMapper().readTree(
          BackupJson.write(b.metadata())));
    } else {
      Describe.backup(b.metadata(), b.size(), location + ": " + b.name(), output.out());
    }
    return ExitCode.OK;
  }

  /** {@code haven backups list --location NAME}. */
  static int printRemote(OffsiteBackups offsite, String location, BackupsCommand.Output output)
      throws Exception {
    OffsiteCopies.RemoteListing listing = offsite.list(location);
    listing.unreadable().forEach(u -> output.err().println("warning: not a readable backup: "
        + u));
    if (output.json) {
      ObjectNode data = JsonNodeFactory.instance.objectNode();
      ArrayNode items = data.putArray("backups");
      for (OffsiteCopies.RemoteBackup b : listing.backups()) {
        items.addObject().put("slug", b.slug()).put("name", b.metadata().name())
            .put("date", b.metadata().date()).put("type", b.metadata().type().toString())
            .put("size_bytes", b.size()).put("protected", b.metadata().isProtected())
            .put("location", location).put("file", b.name());
      }
      output.printJson(data);
      return ExitCode.OK;
    }
    if (listing.backups().isEmpty()) {
      output.out().println("No backups in " + location + ".");
      return ExitCode.OK;
    }
    output.out().printf("%-8s  %-" + Dates.WIDTH + "s  %-7s  %9s  %s%n", "SLUG", "DATE", "TYPE",
        "SIZE", "NAME");
    for (OffsiteCopies.RemoteBackup b : listing.backups()) {
      output.out().printf("%-8s  %-" + Dates.WIDTH + "s  %-7s  %9s  %s%n", b.slug(),
          Dates.column(b.metadata().date()),
          b.metadata().type(), Sizes.human(b.size()), b.metadata().name());
    }
    return ExitCode.OK;
  }
}
