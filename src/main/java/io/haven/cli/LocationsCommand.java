package io.haven.cli;

import io.haven.agent.LocationCheck;
import io.haven.failure.ExitCode;
import io.haven.location.LocationException;
import io.haven.location.LocationRegistry;
import io.haven.location.LocationSpec;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code haven locations}: the named places backups are copied to. Secrets are never shown. */
@Command(name = "locations", aliases = {"location"},
    description = "Add, list, test and remove the locations backups are copied to.",
    subcommands = {LocationsCommand.Add.class, LocationsCommand.ListLocations.class,
        LocationsCommand.Set.class, LocationsCommand.Test.class, LocationsCommand.Remove.class,
        HelpCommand.class})
final class LocationsCommand implements Callable<Integer> {
  @ParentCommand HavenCommand haven;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    return ListLocations.print(registry(), spec.commandLine().getOut());
  }

  LocationRegistry registry() throws Exception {
    return new LocationRegistry(haven.config().locationsFile());
  }

  LocationSpec named(String name) throws Exception {
    return registry().get(name).orElseThrow(() -> new LocationException.NotFound("No location"
        + " named '" + name + "'. See 'haven locations list'.", null));
  }

  @Command(name = "add", description = "Add a location: file:///path, sftp://user@host:port/path,"
      + " webdav[s]://user@host:port/path, s3://bucket/prefix, smb://user@host:port/share/path,"
      + " rclone:remote:path; restic+file://, restic+sftp://, restic+s3://, restic+webdav[s]://,"
      + " restic+smb:// or restic+rclone:remote:path for a restic repository (--password-file"
      + " gives its password).")
  static final class Add implements Callable<Integer> {
    @ParentCommand LocationsCommand parent;
    @Spec CommandSpec spec;
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "URL") String url;
    @Mixin LocationSettings settings;

    @Override
    public Integer call() throws Exception {
      LocationSpec s = settings.applyTo(Usage.parse(spec, "location " + name, () ->
          new LocationSpec(name, URI.create(url), Map.of(), Map.of())), spec.commandLine().getOut());
      LocationRegistry registry = parent.registry();
      if (registry.get(name).isPresent()) {
        throw Usage.error(spec, "a location named '" + name + "' exists already; change it with"
            + " 'haven locations set " + name + "' or choose another name");
      }
      parent.haven.service().offsite().prepare(s).ifPresent(spec.commandLine().getOut()::println);
      registry.add(s);
      spec.commandLine().getOut().println("Added location " + name + " (" + s.url()
          + "). Check it with: haven locations test " + name);
      return ExitCode.OK;
    }
  }

  @Command(name = "set", description = "Change a location's options, secrets or host key in"
      + " place; KEY= with nothing after it removes an option.")
  static final class Set implements Callable<Integer> {
    @ParentCommand LocationsCommand parent;
    @Spec CommandSpec spec;
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Mixin LocationSettings settings;

    @Override
    public Integer call() throws Exception {
      LocationRegistry registry = parent.registry();
      LocationSpec old = parent.named(name);
      registry.replace(settings.applyTo(old, spec.commandLine().getOut()));
      spec.commandLine().getOut().println("Changed location " + name + ". Check it with: haven"
          + " locations test " + name);
      return ExitCode.OK;
    }
  }

  @Command(name = "list", aliases = {"ls"}, description = "List the locations (no secrets).")
  static final class ListLocations implements Callable<Integer> {
    @ParentCommand LocationsCommand parent;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      return print(parent.registry(), spec.commandLine().getOut());
    }

    static int print(LocationRegistry registry, java.io.PrintWriter out) throws Exception {
      List<LocationSpec> all = registry.list();
      if (all.isEmpty()) {
        out.println("No locations. Add one with: haven locations add NAME URL");
        return ExitCode.OK;
      }
      for (LocationSpec s : all) {
        out.printf("%-16s  %s%s%s%n", s.name(), s.url(),
            s.options().isEmpty() ? "" : "  " + new java.util.TreeMap<>(s.options()),
            s.secrets().isEmpty() ? "" : "  secrets: " + new java.util.TreeSet<>(
                s.secrets().keySet()));
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "test", description = "Write, read back, compare and delete a small object;"
      + " say which step failed and why.")
  static final class Test implements Callable<Integer> {
    @ParentCommand LocationsCommand parent;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "NAME") String name;

    @Override
    public Integer call() throws Exception {
      LocationSpec s = parent.named(name);
      LocationCheck.Report r = LocationCheck.run(s);
      java.io.PrintWriter out = spec.commandLine().getOut();
      for (LocationCheck.Step step : r.passed()) {
        out.println(step.name().toLowerCase() + ": ok");
      }
      if (r.ok()) {
        out.println("Location " + name + " (" + r.location() + ") works.");
        return ExitCode.OK;
      }
      spec.commandLine().getErr().println("error: " + r.failed().get().name().toLowerCase()
          + " failed on " + r.location() + ": " + r.reason().orElse(""));
      return ExitCode.LOCATION;
    }
  }

  @Command(name = "remove", aliases = {"rm"}, description = "Forget a location; its backups"
      + " stay where they are.")
  static final class Remove implements Callable<Integer> {
    @ParentCommand LocationsCommand parent;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "NAME") String name;

    @Override
    public Integer call() throws Exception {
      if (!parent.haven.service().offsite().removeLocation(name)) {
        spec.commandLine().getErr().println("error: no location named '" + name + "'");
        return ExitCode.NOT_FOUND;
      }
      spec.commandLine().getOut().println("Removed location " + name + ".");
      return ExitCode.OK;
    }
  }
}
