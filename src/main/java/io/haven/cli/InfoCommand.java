package io.haven.cli;

import io.haven.archive.BackupArchive;
import io.haven.archive.BackupJson;
import io.haven.archive.BackupMetadata;
import io.haven.failure.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code haven info ARCHIVE}: backup.json's facts, without opening any part. */
@Command(name = "info", description = "Show a backup file's backup.json facts.")
final class InfoCommand implements Callable<Integer> {
  @ParentCommand HavenCommand haven;
  @Spec CommandSpec spec;
  @Mixin ArchiveArgument archive;
  @Mixin BackupsCommand.Output output;

  @Override
  public Integer call() throws Exception {
    Path file = archive.resolve(haven);
    try (BackupArchive a = BackupArchive.open(file)) {
      if (a.metadata().isEmpty()) {
        output.out().println(a.describe() + " has no backup.json; its parts: " + a.parts());
        return ExitCode.OK;
      }
      BackupMetadata m = a.metadata().get();
      if (output.json) {
        output.out().println(new String(BackupJson.write(m), java.nio.charset.StandardCharsets.UTF_8));
      } else {
        Describe.backup(m, Files.size(file), file.toString(), output.out());
      }
    }
    return ExitCode.OK;
  }
}
