package io.haven.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.archive.BackupArchive;
import io.haven.archive.Verifier;
import io.haven.failure.ExitCode;
import io.haven.failure.Sizes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code haven verify}: reads every byte of every part and checks it. */
@Command(name = "verify", description = "Read every part of a backup to its end and check it:"
    + " decryption and authentication, decompression, every tar entry, Haven's checksums.")
final class VerifyCommand implements Callable<Integer> {
  @ParentCommand HavenCommand haven;
  @Mixin ArchiveArgument archive;
  @Mixin BackupsCommand.Output output;

  @Override
  public Integer call() throws Exception {
    Verifier.Report r;
    try (BackupArchive a = BackupArchive.open(archive.resolve(haven))) {
      r = Verifier.verify(a, archive.secret());
    }
    if (output.json) {
      ObjectNode data = JsonNodeFactory.instance.objectNode();
      data.put("archive", r.archive());
      data.put("intact", r.intact());
      ArrayNode parts = data.putArray("parts");
      for (Verifier.PartResult p : r.parts()) {
        ObjectNode o = parts.addObject();
        o.put("part", p.part().id()).put("member", p.member()).put("stored", p.stored())
            .put("encryption", p.encryption().map(Enum::name).orElse("none"))
            .put("compression", p.compression().toString()).put("entries", p.entries())
            .put("file_bytes", p.fileBytes()).put("sha256", p.sha256())
            .put("checksum_matched", p.matchedFacts());
        p.problem().ifPresent(e -> o.put("problem", e.getMessage()));
      }
      output.printJson(data);
    } else {
      for (Verifier.PartResult p : r.parts()) {
        output.out().printf("%-20s %-4s %-6s %-5s %7d entries %10s  %s%n", p.member(),
            p.problem().isEmpty() ? "ok" : "BAD", p.compression(),
            p.encryption().map(v -> v.name().toLowerCase()).orElse("-"), p.entries(),
            Sizes.human(p.fileBytes()), p.problem().map(Throwable::getMessage)
                .orElse(p.matchedFacts() ? "checksum matches" : ""));
      }
      output.out().println(r.archive() + (r.intact() ? ": intact" : ": DAMAGED"));
    }
    if (!r.intact()) {
      output.err().println("error: " + r.firstProblem().get().getMessage());
      return r.firstProblem().get().exitCode();
    }
    return ExitCode.OK;
  }
}
