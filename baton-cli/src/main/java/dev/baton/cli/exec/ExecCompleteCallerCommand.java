package dev.baton.cli.exec;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.CompleteCallerRequest;
import dev.baton.api.v1.ManualFailure;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.client.ClientOptions;
import dev.baton.cli.output.ExecutionPrinter;
import dev.baton.cli.output.OutputFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code baton exec complete-caller ID (--result TEXT | --fail MESSAGE)}: completes or fails a
 * stuck caller's activity by hand with the token the server holds (needs an admin key).
 */
@Command(
    name = "complete-caller",
    description = {
      "Complete or fail the caller's activity of an execution by hand, with the token the server"
          + " holds (never shown), when its callback is stuck: delivery FAILED, CALLER_GONE while"
          + " the caller still waits, or lost. The caller's workflow then continues.",
      "Refused when the caller already has its outcome, and while the agent runs unless --force"
          + " (which completes the caller first, then cancels the agent). Needs an admin API key"
          + " when the server requires keys."
    })
final class ExecCompleteCallerCommand implements Callable<Integer> {

  @Mixin private ClientOptions client;

  @Parameters(paramLabel = "ID", description = "The execution's id.")
  private String id;

  @ArgGroup(exclusive = true, multiplicity = "1")
  private Outcome outcome;

  @Option(
      names = "--error-type",
      paramLabel = "TYPE",
      description = "With --fail: the failure's errorType (default: OperatorFailed).")
  private String errorType;

  @Option(
      names = "--force",
      description = "Also while the agent runs: complete the caller now, then cancel the agent.")
  private boolean force;

  /** Exactly one of the two outcomes. */
  static final class Outcome {
    @Option(
        names = "--result",
        paramLabel = "TEXT",
        required = true,
        description = "Complete the caller with an AgentResult whose output is TEXT.")
    String result;

    @Option(
        names = "--fail",
        paramLabel = "MESSAGE",
        required = true,
        description = "Fail the caller with AgentExecutionFailed and this message.")
    String failure;
  }

  @Override
  public Integer call() {
    CompleteCallerRequest.Builder request =
        CompleteCallerRequest.newBuilder().setId(id).setForce(force);
    if (outcome.result != null) {
      if (errorType != null) {
        throw client.usageError("--error-type goes with --fail, not with --result");
      }
      request.setResult(outcome.result);
    } else {
      request.setFailure(
          ManualFailure.newBuilder()
              .setMessage(outcome.failure)
              .setErrorType(errorType == null ? "" : errorType));
    }
    return client.run(
        connection -> {
          AgentExecution execution = connection.executions().completeCaller(request.build());
          if (client.output() == OutputFormat.JSON) {
            new ExecutionPrinter(client.out(), client.output()).detail(execution);
          } else {
            client
                .out()
                .println(
                    (outcome.result != null ? "Completed" : "Failed")
                        + " the caller of execution "
                        + execution.getMetadata().getId()
                        + " (callback "
                        + execution.getStatus().getCallback().getState().name()
                        + ", execution "
                        + execution.getStatus().getPhase().name()
                        + ")");
          }
          return ExitCodes.OK;
        });
  }
}
