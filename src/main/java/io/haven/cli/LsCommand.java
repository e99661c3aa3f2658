package io.haven.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.archive.ArchiveListing;
import io.haven.archive.BackupArchive;
import io.haven.failure.ExitCode;
import io.haven.failure.Sizes;
import io.haven.store.StoreException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code haven ls} and {@code haven backups ls}: the files of a backup, without extracting
 * anything. The top-level verb always prints the long form (as it did before the other existed).
 */
@Command(name = "ls", description = "List the files in a backup, part by part (with --long:"
    + " size, mode, time, link target), also for protected backups. Reads the parts as a stream;"
    + " writes nothing. Paths read <part>/<name>, as restore --file takes them.")
final class LsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin BackupsCommand.Output output;

  @Parameters(index = "0", paramLabel = "SLUG|FILE", description = "A backup file, or a slug.")
  String archive;

  @Parameters(index = "1", arity = "0..1", paramLabel = "PATH",
      description = "Only this part, file or directory (e.g. homeassistant/data/www).")
  String prefix = "";

  @Mixin PasswordOptions password;

  @Option(names = "--key", paramLabel = "HEX", description = "A raw 16-byte v1 key.")
  String key;

  // Not -l: that is --location in every other verb.
  @Option(names = "--long", description = "Show type, mode, size and time.")
  boolean longForm;

  @Override
  public Integer call() throws Exception {
    ArrayNode json = JsonNodeFactory.instance.arrayNode();
    long[] count = new long[1];
    HavenCommand haven = HavenCommand.above(spec);
    boolean full = longForm || spec.parent().userObject() == haven;
    try (BackupArchive a = BackupArchive.open(ArchiveArgument.resolve(archive, haven))) {
      ArchiveListing.list(a, haven.service().keys().opening(a,
          ArchiveArgument.secret(password, key, spec)), prefix, e -> {
        count[0]++;
        if (output.json) {
          json.add(toJson(e));
        } else if (!full) {
          output.out().println(e.path() + (e.type() == ArchiveListing.Type.DIRECTORY ? "/" : ""));
        } else {
          output.out().printf("%s %04o %9s %s %s%s%n", typeChar(e.type()), e.mode(),
              Sizes.human(e.size()), Dates.TIME.format(e.mtime()), e.path(),
              e.link().map(l -> " -> " + l).orElse(""));
        }
      });
    }
    if (output.json) {
      ObjectNode data = JsonNodeFactory.instance.objectNode();
      data.set("entries", json);
      output.printJson(data);
    }
    if (count[0] == 0 && !prefix.isEmpty()) {
      throw new StoreException.NotFound("Nothing in the backup at '" + prefix + "'. Run 'haven"
          + " ls " + archive + "' to see its paths.");
    }
    return ExitCode.OK;
  }

  private static ObjectNode toJson(ArchiveListing.Entry e) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("part", e.part().id()).put("path", e.path()).put("name", e.name())
        .put("type", e.type().name().toLowerCase()).put("size", e.size()).put("mode", e.mode())
        .put("mtime", e.mtime().getEpochSecond());
    if (e.link().isPresent()) {
      o.put("link", e.link().get());
    } else {
      o.putNull("link");
    }
    return o;
  }

  private static char typeChar(ArchiveListing.Type t) {
    switch (t) {
      case DIRECTORY:
        return 'd';
      case SYMLINK:
        return 'l';
      case HARDLINK:
        return 'h';
      case FILE:
        return '-';
      default:
        return '?';
    }
  }
}
