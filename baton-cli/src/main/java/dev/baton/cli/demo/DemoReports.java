package dev.baton.cli.demo;

import dev.baton.callback.AgentResult;
import java.io.PrintWriter;
import java.util.List;

/** Prints the demo's results for people. */
final class DemoReports {
  private DemoReports() {}

  static void print(PrintWriter out, List<DemoCallReport> reports) {
    for (DemoCallReport report : reports) {
      AgentResult result = report.result();
      out.printf(
          "%n== %s (execution %s) %s%n", result.agent(), result.executionId(), result.phase());
      out.println(result.output().strip());
      out.printf(
          "   agent ran %d ms; caller activity took %d ms; handshake overhead %d ms%n",
          result.durationMillis(), report.callerMillis(), report.overheadMillis());
    }
    long worst = reports.stream().mapToLong(DemoCallReport::overheadMillis).max().orElse(0);
    out.printf(
        "%nBoth calls ran as durable Baton executions; no caller worker slot was held while they"
            + " ran.%nHandshake overhead (caller activity time minus agent run time): at most %d"
            + " ms.%n",
        worst);
    out.flush();
  }
}
