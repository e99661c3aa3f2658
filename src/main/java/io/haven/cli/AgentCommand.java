package io.haven.cli;

import io.haven.api.AgentServer;
import io.haven.device.SystemdNotify;
import io.haven.failure.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code haven agent}: the daemon in the foreground, as systemd runs it. SIGTERM cancels a running
 * job cleanly, then Haven exits.
 */
@Command(name = "agent", description = "Run the agent in the foreground: the HTTP API, the"
    + " Unix socket and jobs, for systemd (Type=notify) or a terminal.")
final class AgentCommand implements Callable<Integer> {
  @ParentCommand HavenCommand haven;

  @Override
  public Integer call() throws Exception {
    haven.config().agent().remoteWarning().ifPresent(w -> System.err.println("warning: " + w));
    AgentServer daemon = AgentServer.start(haven.config(), Version.current(),
        SystemdNotify.fromEnvironment());
    haven.configFile().ifPresent(daemon::settingsIn);
    // The JVM runs this on SIGTERM and SIGINT; it returns once the job has cleaned up.
    Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "haven-stop"));
    System.out.println("haven agent: serving http://" + daemon.httpAddress().getHostString()
        + ":" + daemon.httpAddress().getPort() + " and " + daemon.socket());
    System.out.flush();
    daemon.awaitStop();
    return ExitCode.OK;
  }
}
