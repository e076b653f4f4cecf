package dev.baton.caller;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.DynamicActivity;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.EncodedValues;
import io.temporal.failure.ApplicationFailure;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An external agent worker, run as its own JVM by {@link ExternalRunnerTest}: it knows nothing of
 * Baton's classes and serves {@code RunAgent} from the documented JSON contract only, as a worker
 * in another SDK language would.
 *
 * <p>Arguments: Temporal target, namespace, the reversing agent's task queue, the failing agent's
 * task queue. Prints {@code READY} once polling; exits when its stdin closes (the test ended).
 */
public final class ExternalAgentWorkerMain {
  private ExternalAgentWorkerMain() {}

  public static void main(String[] args) throws IOException {
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(args[0]).build());
    WorkflowClient client =
        WorkflowClient.newInstance(
            service, WorkflowClientOptions.newBuilder().setNamespace(args[1]).build());
    WorkerFactory factory = WorkerFactory.newInstance(client);
    factory.newWorker(args[2]).registerActivitiesImplementations(new RunAgent(false));
    factory.newWorker(args[3]).registerActivitiesImplementations(new RunAgent(true));
    factory.start();
    System.out.println("READY");
    System.out.flush();
    InputStream in = System.in;
    while (in.read() >= 0) {
      // Wait for the parent to close our stdin.
    }
    factory.shutdownNow();
    service.shutdownNow();
    System.exit(0);
  }

  /** {@code RunAgent} read as plain JSON: reverses the message, or fails as an agent would. */
  private static final class RunAgent implements DynamicActivity {
    private final boolean fail;

    RunAgent(boolean fail) {
      this.fail = fail;
    }

    @Override
    public Object execute(EncodedValues args) {
      ActivityExecutionContext context = Activity.getExecutionContext();
      if (!"RunAgent".equals(context.getInfo().getActivityType())) {
        throw ApplicationFailure.newNonRetryableFailure(
            "unexpected activity type " + context.getInfo().getActivityType(), "AgentNotRunnable");
      }
      JsonNode invocation = args.get(0, JsonNode.class);
      String message = invocation.get("message").asText();
      context.heartbeat("reading " + message.length() + " characters");
      if (fail) {
        throw ApplicationFailure.newNonRetryableFailure(
            "the external reviewer rejected: " + message, "AgentFailed");
      }
      Map<String, Object> output = new LinkedHashMap<>();
      output.put("output", new StringBuilder(message).reverse().toString());
      output.put(
          "structuredOutput",
          "{\"servedBy\":\"external\",\"executionId\":\""
              + invocation.get("executionId").asText()
              + "\",\"timeoutSeconds\":"
              + invocation.get("timeout").asDouble()
              + ",\"taskQueue\":\""
              + invocation.get("taskQueue").asText()
              + "\"}");
      return output;
    }
  }
}
