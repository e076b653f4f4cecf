package dev.baton.cli.server;

import dev.baton.server.temporal.EmbeddedTemporal;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code baton dev-temporal}: Temporal's standalone test server in a process of its own, for
 * multi-process setups and fault tests (stop it, start it again). State lives in memory only.
 */
@Command(
    name = "dev-temporal",
    description = {
      "Runs Temporal's test server (in-memory, real Temporal API) on a loopback port until"
          + " stopped.",
      "Point servers at it with: baton server --temporal-address 127.0.0.1:PORT"
    })
public final class DevTemporalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "${env:BATON_DEV_TEMPORAL_PORT:-7233}",
      description = "Loopback port (env BATON_DEV_TEMPORAL_PORT; default ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() throws InterruptedException {
    EmbeddedTemporal temporal = EmbeddedTemporal.start(port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  temporal.close();
                  stopped.countDown();
                },
                "dev-temporal-shutdown"));
    spec.commandLine().getOut().println("Temporal test server listening on " + temporal.target());
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }
}
