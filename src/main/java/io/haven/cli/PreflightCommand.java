package io.haven.cli;

import io.haven.agent.Backups;
import io.haven.archive.Secret;
import io.haven.failure.ExitCode;
import io.haven.restore.PreflightReport;
import io.haven.restore.RestoreRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code haven preflight} and {@code haven backups preflight}: what restoring the backup here
 * would run into. Changes nothing; exits 8 when something blocks the restore.
 */
@Command(name = "preflight", description = "Check a restore before it runs: free space, data"
    + " disk, radios, https, network storage, and how long it will take. Changes nothing;"
    + " exits 8 when something blocks the restore.")
final class PreflightCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin BackupsCommand.Output output;
  @Mixin BackupsCommand.PartChoice choice;

  @Parameters(paramLabel = "SLUG|FILE", description = "A backup file, or a slug in the backup dir.")
  String archive;

  @Override
  public Integer call() throws Exception {
    Backups local = HavenCommand.above(spec).service().backups();
    RestoreRequest request = new RestoreRequest(choice.parts(spec), Optional.<Secret>empty());
    Path file = Path.of(archive);
    PreflightReport report = Files.isRegularFile(file) ? local.preflight(file, request)
        : local.preflight(archive, request);
    if (output.json) {
      output.printJson(report.toJson());
    } else {
      report.print(output.out());
    }
    return report.passed() ? ExitCode.OK : ExitCode.PREFLIGHT;
  }
}
