package dev.baton.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.ExecutionError;
import dev.baton.api.v1.ExecutionMetadata;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.ExecutionStatus;

/** Executions as a server would return them, at fixed times. */
public final class Fixtures {

  /** 2025-01-31T09:30:00Z. */
  public static final Timestamp T0 = Timestamp.newBuilder().setSeconds(1_738_315_800L).build();

  /** A callback token that must never be printed; its base64 is "c2VjcmV0LXRva2Vu". */
  public static final ByteString TOKEN = ByteString.copyFromUtf8("secret-token");

  private Fixtures() {}

  /** {@link #T0} plus {@code seconds}. */
  public static Timestamp at(long seconds) {
    return Timestamp.newBuilder().setSeconds(T0.getSeconds() + seconds).build();
  }

  /** A PENDING execution of {@code agent} at sequence 1. */
  public static AgentExecution pending(String id, String agent) {
    return AgentExecution.newBuilder()
        .setMetadata(ExecutionMetadata.newBuilder().setId(id).setCreateTime(T0).setSequence(1))
        .setSpec(ExecutionSpec.newBuilder().setAgent(agent).setMessage("do the thing"))
        .setStatus(ExecutionStatus.newBuilder().setPhase(ExecutionPhase.PENDING))
        .build();
  }

  /** The execution started 2 s after creation, at sequence 2. */
  public static AgentExecution running(AgentExecution pending) {
    AgentExecution.Builder running = pending.toBuilder();
    running.getMetadataBuilder().setSequence(2);
    running.getStatusBuilder().setPhase(ExecutionPhase.IN_PROGRESS).setStartTime(at(2));
    return running.build();
  }

  /** The execution completed with {@code output} 92 s after creation, at sequence 3. */
  public static AgentExecution completed(AgentExecution pending, String output) {
    AgentExecution running = running(pending);
    return withStatus(running, ended(running, ExecutionPhase.COMPLETED).setOutput(output));
  }

  /** The execution ended in {@code phase} with an error of {@code type}, at sequence 3. */
  public static AgentExecution ended(
      AgentExecution pending, ExecutionPhase phase, String type, String message) {
    AgentExecution running = running(pending);
    return withStatus(
        running,
        ended(running, phase)
            .setError(ExecutionError.newBuilder().setType(type).setMessage(message)));
  }

  private static ExecutionStatus.Builder ended(AgentExecution running, ExecutionPhase phase) {
    return running.getStatus().toBuilder().setPhase(phase).setEndTime(at(92));
  }

  private static AgentExecution withStatus(AgentExecution running, ExecutionStatus.Builder status) {
    AgentExecution.Builder ended = running.toBuilder().setStatus(status);
    ended.getMetadataBuilder().setSequence(3);
    return ended.build();
  }
}
