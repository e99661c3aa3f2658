package io.haven.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.agent.BackupKeys;
import io.haven.agent.BackupView;
import io.haven.agent.Made;
import io.haven.agent.NewBackup;
import io.haven.agent.Place;
import io.haven.agent.Service;
import io.haven.agent.Verbs;
import io.haven.archive.Compression;
import io.haven.archive.Part;
import io.haven.archive.Secret;
import io.haven.archive.SecureTar;
import io.haven.backup.BackupResult;
import io.haven.failure.ExitCode;
import io.haven.failure.Sizes;
import io.haven.store.BackupStore;
import io.haven.store.StoredBackup;
import io.haven.tree.Excludes;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code haven backups}: the verbs of {@code ha backups}, on the local backup directory. */
@Command(name = "backups", aliases = {"backup", "back", "bk"},
    description = "List, create, restore and remove backups (the verbs of 'ha backups').",
    subcommands = {
      BackupsCommand.ListCommand.class, BackupsCommand.InfoCommand.class,
      BackupsCommand.NewCommand.class, RestoreCommand.class,
      BackupsCommand.RemoveCommand.class, BackupsCommand.ReloadCommand.class,
      PreflightCommand.class, VerifyCommand.class, LsCommand.class, EstimateCommand.class, ImportCommand.class,
      OffsiteCommands.Copy.class, OffsiteCommands.Prune.class, HelpCommand.class})
final class BackupsCommand implements Callable<Integer> {
  @ParentCommand HavenCommand haven;
  @Mixin Output output;

  /** {@code haven backups} alone lists, as {@code ha backups} does. */
  @Override
  public Integer call() throws Exception {
    return ListCommand.print(backups(), output);
  }

  /** See {@link HavenCommand#verbs()}. */
  Verbs backups() throws Exception {
    return haven.verbs();
  }

  /** See {@link HavenCommand#service()}. */
  Service local() throws Exception {
    return haven.service();
  }

  /** Shared {@code --raw-json} and the writers. */
  static final class Output {
    @Option(names = "--raw-json", description = "Print JSON in the Supervisor API's shapes.")
    boolean json;

    @Spec(Spec.Target.MIXEE) CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    PrintWriter err() {
      return spec.commandLine().getErr();
    }

    void printJson(ObjectNode data) {
      ObjectNode envelope = JsonNodeFactory.instance.objectNode();
      envelope.put("result", "ok");
      envelope.set("data", data);
      out().println(envelope.toPrettyString());
    }
  }

  @Command(name = "list", description = "List the backups, newest first.")
  static final class ListCommand implements Callable<Integer> {
    @ParentCommand BackupsCommand parent;
    @Mixin Output output;

    @Option(names = {"-l", "--location"}, paramLabel = "NAME",
        description = "List the backups in this location instead of the backup directory.")
    String location;

    @Override
    public Integer call() throws Exception {
      if (location != null) {
        return OffsiteCommands.printRemote(parent.local().offsite(), location, output);
      }
      return print(parent.backups(), output);
    }

    static int print(Verbs backups, Output output) throws Exception {
      BackupStore.Listing listing = backups.list();
      for (String problem : listing.unreadable()) {
        output.err().println("warning: not a readable backup: " + problem);
      }
      if (output.json) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        ArrayNode items = data.putArray("backups");
        listing.backups().forEach(b -> items.add(BackupView.item(b)));
        data.put("days_until_stale", 30);
        output.printJson(data);
        return ExitCode.OK;
      }
      if (listing.backups().isEmpty()) {
        output.out().println("No backups in " + backups.backupDir()
            + ". Make one with: haven backups new");
        return ExitCode.OK;
      }
      output.out().printf("%-8s  %-" + Dates.WIDTH + "s  %-7s  %9s  %-4s  %s%n", "SLUG", "DATE",
          "TYPE", "SIZE", "LOCK", "NAME");
      for (StoredBackup b : listing.backups()) {
        output.out().printf("%-8s  %-" + Dates.WIDTH + "s  %-7s  %9s  %-4s  %s%n", b.slug(),
            Dates.column(b.metadata().date()), b.metadata().type(), Sizes.human(b.size()),
            b.metadata().isProtected() ? "yes" : "", b.metadata().name());
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "info", aliases = {"in", "inf"}, description = "Show one backup.")
  static final class InfoCommand implements Callable<Integer> {
    @ParentCommand BackupsCommand parent;
    @Mixin Output output;
    @Parameters(paramLabel = "SLUG") String slug;

    @Option(names = {"-l", "--location"}, paramLabel = "NAME",
        description = "Show the backup this location holds.")
    String location;

    @Override
    public Integer call() throws Exception {
      if (location != null) {
        return OffsiteCommands.printRemote(parent.local().offsite(), location, slug, output);
      }
      StoredBackup b = parent.backups().info(slug);
      if (output.json) {
        output.printJson(BackupView.detail(b));
      } else {
        Describe.backup(b.metadata(), b.size(), b.file().toString(), output.out());
      }
      return ExitCode.OK;
    }
  }

  /** Which parts: Home Assistant, add-ons, folders; none named means everything. */
  static final class PartChoice {
    @Option(names = "--homeassistant", description = "Include Home Assistant's configuration.")
    boolean homeassistant;

    @Option(names = {"-a", "--app", "--addons"}, paramLabel = "SLUG",
        description = "Include this add-on's data (repeatable).")
    List<String> apps = new ArrayList<>();

    @Option(names = {"-f", "--folders"}, paramLabel = "FOLDER",
        description = "Include this folder: share, addons/local, ssl, media (repeatable).")
    List<String> folders = new ArrayList<>();

    /** The parts named, each checked; a name that is no part is {@code spec}'s usage failure. */
    List<Part> parts(CommandSpec spec) {
      List<Part> parts = new ArrayList<>();
      if (homeassistant) {
        parts.add(Part.homeAssistant());
      }
      apps.forEach(a -> parts.add(Usage.parse(spec, "--app", () -> Part.addon(a))));
      for (String f : folders) {
        if (f.equals("homeassistant")) {
          parts.add(Part.homeAssistant()); // the legacy folder id
        } else {
          parts.add(Usage.parse(spec, "--folders", () -> Part.folder(f)));
        }
      }
      return parts.stream().distinct().toList();
    }
  }

  @Command(name = "new", aliases = {"create"},
      description = "Make a backup: full unless parts are named.")
  static final class NewCommand implements Callable<Integer> {
    @ParentCommand BackupsCommand parent;
    @Spec CommandSpec spec;
    @Mixin Output output;
    @Mixin PartChoice choice;

    @Option(names = "--name", description = "A name for the backup.")
    String name = "";

    /** Protects the backup; typed twice when asked for on the terminal. */
    @Mixin PasswordOptions password;

    @Option(names = "--uncompressed", description = "Do not compress the parts.")
    boolean uncompressed;

    @Option(names = "--compression", paramLabel = "zstd|gzip|none",
        description = "Part compression (default: zstd, or gzip with --compat).")
    String compression;

    @Option(names = "--compat", description = "Write what Home Assistant itself restores:"
        + " gzip parts, SecureTar v2 unless --encryption v3.")
    boolean compat;

    @Option(names = "--encryption", paramLabel = "v2|v3",
        description = "SecureTar version with --password (default v3, or v2 with --compat).")
    String encryption;

    @Option(names = "--homeassistant-exclude-database",
        description = "Leave out Home Assistant's recorder database.")
    boolean excludeDatabase;

    @Option(names = "--filename", description = "File name in the backup directory (*.tar).")
    String filename;

    @Option(names = {"-l", "--location"}, paramLabel = "NAME", description = "After the local"
        + " backup is made, copy it to this location and verify the copy (repeatable).")
    List<String> locations = new ArrayList<>();

    @Option(names = "--use-key", description = "Protect the backup with the backup encryption"
        + " key (haven key show) instead of a password.")
    boolean useKey;

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave out files and"
        + " folders matching GLOB, relative to the data root: media/frigate/**, *.log"
        + " (repeatable; added to excludes: in the config).")
    List<String> excludes = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      if (useKey && password.named()) {
        throw Usage.error(spec, "give --password or --use-key, not both");
      }
      excludes.forEach(g -> Usage.parse(spec, "--exclude", () -> {
        Excludes.checkUserGlob(g);
        return g;
      }));
      Optional<Secret.Password> secret = useKey
          ? Optional.of(new BackupKeys(parent.haven.config(), Clock.systemUTC()).password())
          : password.forWriting();
      NewBackup request = new NewBackup(name, choice.parts(spec), secret,
          compression(), encryptionVersion(), compat, excludeDatabase,
          Optional.ofNullable(filename), locations.stream().map(Place.Named::new).toList(),
          excludes);
      TerminalProgress progress = new TerminalProgress(output.err());
      Made made = parent.backups().create(request, progress);
      progress.finish();
      BackupResult r = made.backup();
      r.warnings().forEach(w -> output.err().println("warning: " + w));
      if (output.json) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("slug", r.metadata().slug());
        data.put("file", r.file().toString());
        data.put("size_bytes", r.size());
        ArrayNode warnings = data.putArray("warnings");
        r.warnings().forEach(warnings::add);
        output.printJson(data);
      } else {
        output.out().println(r.metadata().slug());
      }
      int copied = OffsiteCommands.report(made.copies(), output);
      if (copied != ExitCode.OK) {
        return copied;
      }
      return r.warnings().isEmpty() ? ExitCode.OK : ExitCode.WARNINGS;
    }

    // Empty unless chosen: the service takes the config's compression, or gzip for --compat.
    private Optional<Compression> compression() {
      if (uncompressed) {
        return Optional.of(Compression.NONE);
      }
      return Optional.ofNullable(compression).map(c -> Usage.parse(spec, "--compression",
          () -> Compression.parse(c)));
    }

    private Optional<SecureTar.Version> encryptionVersion() {
      if (encryption == null) {
        return Optional.empty();
      }
      switch (encryption.toLowerCase(Locale.ROOT)) {
        case "v2":
          return Optional.of(SecureTar.Version.V2);
        case "v3":
          return Optional.of(SecureTar.Version.V3);
        default:
          throw Usage.error(spec, "unknown encryption '" + encryption + "': use v2 or v3");
      }
    }
  }

  @Command(name = "remove", aliases = {"delete", "del", "rem", "rm"},
      description = "Delete a backup, after asking on the terminal. Without a terminal (a"
          + " script), only with --yes.")
  static final class RemoveCommand implements Callable<Integer> {
    @ParentCommand BackupsCommand parent;
    @Spec CommandSpec spec;
    @Mixin Output output;
    @Parameters(paramLabel = "SLUG") String slug;

    @Option(names = {"-l", "--location"}, paramLabel = "NAME",
        description = "Delete the copy in this location; the local backup stays.")
    String location;

    @Option(names = {"-y", "--yes"}, description = "Delete without asking.")
    boolean yes;

    @Override
    public Integer call() throws Exception {
      Verbs backups = parent.backups();
      String where = location == null ? "" : " in " + location;
      if (!yes) {
        StoredBackup b = location == null ? backups.info(slug) : null;
        Terminal terminal = Terminal.system().orElseThrow(() -> Usage.error(spec, "deleting"
            + " backup " + slug + where + " asks first, and there is no terminal to ask on;"
            + " add --yes to delete it without asking"));
        String what = b == null ? slug : slug + " (" + b.metadata().name() + ", "
            + Dates.column(b.metadata().date()) + ", " + Sizes.human(b.size()) + ")";
        if (!terminal.confirm("Delete backup " + what + where + "?")) {
          output.err().println("Kept " + slug + where + "; nothing was deleted.");
          return ExitCode.CANCELLED;
        }
      }
      backups.remove(slug, List.of(Place.of(location)));
      if (output.json) {
        output.printJson(JsonNodeFactory.instance.objectNode());
      } else {
        output.out().println("Removed " + slug + (location == null ? "" : " from " + location) + ".");
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "reload", aliases = {"refresh", "re"},
      description = "Rescan the backup directory; clean what an interrupted job left.")
  static final class ReloadCommand implements Callable<Integer> {
    @ParentCommand BackupsCommand parent;
    @Mixin Output output;

    @Override
    public Integer call() throws Exception {
      BackupStore.Listing l = parent.backups().reload();
      if (output.json) {
        output.printJson(JsonNodeFactory.instance.objectNode());
      } else {
        output.out().println(l.backups().size() + " backups in " + parent.backups().backupDir()
            + ".");
      }
      return ExitCode.OK;
    }
  }
}
