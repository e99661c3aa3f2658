package io.haven.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.backup.BackupEstimate;
import io.haven.failure.ExitCode;
import io.haven.failure.Sizes;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code haven backups estimate}: what a backup would hold, before making it. */
@Command(name = "estimate", description = "Show what a backup would hold (per part, after"
    + " excludes), the database and its keep days, the largest files, old backups and whether"
    + " the backup dir has room. Reads metadata only.")
final class EstimateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin BackupsCommand.Output output;
  @Mixin BackupsCommand.PartChoice choice;

  @Option(names = "--homeassistant-exclude-database",
      description = "Estimate without Home Assistant's recorder database.")
  boolean excludeDatabase;

  @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave out files and folders"
      + " matching GLOB, as 'backups new --exclude' would (repeatable).")
  List<String> excludes = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    BackupEstimate e = HavenCommand.above(spec).service().estimate(choice.parts(spec),
        excludeDatabase, excludes);
    if (output.json) {
      output.printJson(json(e));
    } else {
      print(e, output.out());
    }
    return ExitCode.OK;
  }

  static ObjectNode json(BackupEstimate e) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ArrayNode parts = o.putArray("parts");
    e.parts().forEach(p -> parts.addObject().put("part", p.part().id()).put("files", p.files())
        .put("bytes", p.bytes()));
    o.put("total_bytes", e.totalBytes());
    o.put("total_files", e.totalFiles());
    o.put("database_bytes", e.databaseBytes());
    o.put("purge_keep_days", e.keepDays());
    o.put("purge_keep_days_set", e.keepDaysSet());
    ArrayNode largest = o.putArray("largest_files");
    e.largestFiles().forEach(f -> largest.addObject().put("path", f.path()).put("bytes", f.bytes()));
    o.putObject("old_backups").put("count", e.oldBackups().count())
        .put("bytes", e.oldBackups().bytes());
    o.put("backup_dir_free", e.backupDirFree());
    o.put("space_needed", e.spaceNeeded());
    o.put("has_room", e.hasRoom());
    ArrayNode suggestions = o.putArray("suggestions");
    e.suggestions().forEach(suggestions::add);
    ArrayNode rules = o.putArray("excludes");
    e.leftOut().rules().forEach(rules::add);
    o.put("excluded_files", e.leftOut().files());
    o.put("excluded_bytes", e.leftOut().bytes());
    return o;
  }

  static void print(BackupEstimate e, PrintWriter out) {
    out.printf("%-24s %9s %10s%n", "PART", "FILES", "SIZE");
    e.parts().forEach(p -> out.printf("%-24s %9d %10s%n", p.part(), p.files(),
        Sizes.human(p.bytes())));
    out.printf("%-24s %9d %10s%n", "total", e.totalFiles(), Sizes.human(e.totalBytes()));
    out.println();
    out.println("database:      " + (e.databaseBytes() == 0 ? "not included"
        : Sizes.human(e.databaseBytes())) + ", recorder keeps " + e.keepDays() + " days"
        + (e.keepDaysSet() ? "" : " (the default)"));
    out.println("excludes:      " + (e.leftOut().rules().isEmpty() ? "none of your own"
        : String.join(", ", e.leftOut().rules()) + " - leaves out " + e.leftOut().files()
            + (e.leftOut().files() == 1 ? " file, " : " files, ")
            + Sizes.human(e.leftOut().bytes())));
    out.println("largest files:");
    e.largestFiles().forEach(f -> out.printf("  %10s  %s%n", Sizes.human(f.bytes()), f.path()));
    out.println("old backups:   " + e.oldBackups().count() + ", "
        + Sizes.human(e.oldBackups().bytes()) + " (never included)");
    out.println("backup dir:    needs " + Sizes.human(e.spaceNeeded()) + ", "
        + (e.backupDirFree() < 0 ? "free space unknown" : Sizes.human(e.backupDirFree())
            + " free") + (e.hasRoom() ? "" : " - NOT ENOUGH ROOM"));
    e.suggestions().forEach(s -> out.println("suggestion:    " + s));
  }
}
