package io.haven.cli;

import io.haven.archive.Secret;
import io.haven.failure.ExitCode;
import io.haven.restore.PreflightReport;
import io.haven.restore.RestoreRequest;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code haven backups preflight SLUG}: what restoring the backup here would run into. */
@Command(name = "preflight", description = "Check a restore before it runs: free space, data"
    + " disk, radios, https, network storage, and how long it will take. Changes nothing;"
    + " exits 8 when something blocks the restore.")
final class PreflightCommand implements Callable<Integer> {
  @ParentCommand BackupsCommand parent;
  @Mixin BackupsCommand.Output output;
  @Mixin BackupsCommand.PartChoice choice;
  @Parameters(paramLabel = "SLUG") String slug;

  @Override
  public Integer call() throws Exception {
    PreflightReport report = parent.local().preflight(slug,
        new RestoreRequest(choice.parts(), Optional.<Secret>empty()));
    if (output.json) {
      output.printJson(report.toJson());
    } else {
      report.print(output.out());
    }
    return report.passed() ? ExitCode.OK : ExitCode.PREFLIGHT;
  }
}
