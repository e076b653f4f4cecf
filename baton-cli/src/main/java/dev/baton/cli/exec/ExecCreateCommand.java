package dev.baton.cli.exec;

import com.google.protobuf.util.Durations;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.cli.BatonCli;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.client.ClientOptions;
import dev.baton.cli.client.DurationConverter;
import dev.baton.cli.output.ExecutionPrinter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code baton exec create}: starts an agent. Not a Temporal caller, so nobody is called back; pass
 * {@code --request-id} to make retries of this command start the agent only once.
 */
@Command(
    name = "create",
    description = "Start an agent on a message; prints the new execution.",
    sortOptions = false)
final class ExecCreateCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private ClientOptions client;

  @Option(
      names = {"-a", "--agent"},
      paramLabel = "NAME",
      required = true,
      description = "The agent to run (see `baton agent list`).")
  private String agent;

  @ArgGroup(multiplicity = "1")
  private MessageSource message;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "The agent's deadline, e.g. 30s, 5m, 1h (default: the agent's timeout).")
  private Duration timeout;

  @Option(
      names = {"-l", "--label"},
      paramLabel = "KEY=VALUE",
      description = "A label for the execution; repeat for more, each key once.")
  private List<String> labels;

  @Option(
      names = "--request-id",
      paramLabel = "ID",
      description =
          "Idempotency key: creating again with the same ID and request returns the same"
              + " execution; a different request under a used ID is refused (exit 7).")
  private String requestId;

  @Option(
      names = {"-w", "--watch"},
      description = "Then watch the execution until it ends, like `baton exec watch`.")
  private boolean watch;

  @Override
  public Integer call() {
    CreateExecutionRequest request = request(readMessage());
    return client.run(
        connection -> {
          AgentExecution created = connection.executions().create(request);
          ExecutionPrinter printer =
              new ExecutionPrinter(client.out(), client.output(), System.console() != null);
          if (!watch) {
            printer.summary(created);
            return ExitCodes.OK;
          }
          printer.createdThenUpdates(created);
          return ExecutionWatch.follow(connection, created.getMetadata().getId(), printer);
        });
  }

  private CreateExecutionRequest request(String text) {
    ExecutionSpec.Builder executionSpec =
        ExecutionSpec.newBuilder().setAgent(agent).setMessage(text);
    if (timeout != null) {
      executionSpec.setTimeout(Durations.fromNanos(timeout.toNanos()));
    }
    CreateExecutionRequest.Builder request =
        CreateExecutionRequest.newBuilder().setSpec(executionSpec);
    if (labels != null) {
      request.putAllLabels(LabelArguments.byKey(labels, client));
    }
    if (requestId != null) {
      request.setRequestId(requestId);
    }
    return request.build();
  }

  private String readMessage() {
    String text;
    try {
      text = message.read(stdin());
    } catch (NoSuchFileException e) {
      throw client.usageError("cannot read " + message.origin() + ": no such file");
    } catch (CharacterCodingException e) {
      throw client.usageError("cannot read " + message.origin() + ": it is not UTF-8 text");
    } catch (AccessDeniedException e) {
      throw client.usageError("cannot read " + message.origin() + ": permission denied");
    } catch (IOException e) {
      throw client.usageError("cannot read " + message.origin() + ": " + e.getMessage());
    }
    if (text.isBlank()) {
      throw client.usageError("the message from " + message.origin() + " is empty");
    }
    return text;
  }

  private InputStream stdin() {
    return spec.root().userObject() instanceof BatonCli cli ? cli.stdin() : System.in;
  }
}
