package dev.baton.agent.command;

import static dev.baton.agent.command.Agents.agent;
import static dev.baton.agent.command.Agents.invocation;
import static dev.baton.agent.command.Agents.pids;
import static dev.baton.agent.command.Agents.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.agent.AgentCancelledException;
import dev.baton.agent.AgentFailedException;
import dev.baton.agent.AgentOutput;
import dev.baton.agent.TestRunContext;
import dev.baton.execution.ExecutionError;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stopping agents: deadlines, cancellation, interrupts, shutdown, floods and leftovers. */
class CommandRunnerStopTest {
  private static final Duration LONG = Duration.ofSeconds(60);
  private static final Duration GRACE = Duration.ofMillis(500);

  @TempDir Path dir;
  private Path pidFile;

  @BeforeEach
  void writeTreeScripts() throws IOException {
    pidFile = dir.resolve("pids");
    // agent -> child.sh -> sleep: three processes, each pid written to the file given as $1.
    script(dir, "tree.sh", "echo $$ >> \"$1\"\n\"$(dirname \"$0\")/child.sh\" \"$1\" &\nwait\n");
    script(dir, "child.sh", "sleep 600 &\necho $! >> \"$1\"\necho $$ >> \"$1\"\nwait\n");
  }

  @AfterEach
  void noThreadOutlivesARun() {
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().startsWith("baton-agent-") && t.isAlive());
  }

  @ParameterizedTest(name = "newSession={0}")
  @ValueSource(booleans = {true, false})
  void pastTheDeadlineTheWholeTreeIsKilled(boolean newSession) {
    CommandRunner runner = runner(newSession);

    assertThatThrownBy(
            () ->
                runner.run(
                    agent(dir, "./tree.sh", pidFile.toString()),
                    invocation("hi", Duration.ofSeconds(2)),
                    TestRunContext.withTimeout(Duration.ofSeconds(2))))
        .isInstanceOfSatisfying(
            AgentFailedException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ExecutionError.AGENT_TIMEOUT);
              assertThat(e.getMessage())
                  .isEqualTo("agent 'test-agent' ran past its 2s deadline and was stopped");
            });
    assertAllGone(3);
  }

  @ParameterizedTest(name = "newSession={0}")
  @ValueSource(booleans = {true, false})
  void cancellationKillsTheTreeWithinTheGrace(boolean newSession) {
    CommandRunner runner = runner(newSession);
    AtomicLong cancelledAt = new AtomicLong();
    TestRunContext context =
        TestRunContext.withTimeout(LONG)
            .cancelWhen(
                () -> {
                  boolean started = pids(pidFile, 3).isPresent();
                  if (started) {
                    cancelledAt.compareAndSet(0, System.nanoTime());
                  }
                  return started;
                });

    assertThatThrownBy(
            () ->
                runner.run(
                    agent(dir, "./tree.sh", pidFile.toString()), invocation("hi", LONG), context))
        .isInstanceOf(AgentCancelledException.class)
        .hasMessage("cancelled by the test");
    assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt.get()))
        .isLessThan(Duration.ofSeconds(2));
    assertAllGone(3);
  }

  @Test
  void processesIgnoringSigtermAreKilledAfterTheGrace() throws IOException {
    script(dir, "stubborn.sh", "trap '' TERM\necho $$ >> \"$1\"\nwhile :; do sleep 1; done\n");
    TestRunContext context =
        TestRunContext.withTimeout(LONG).cancelWhen(() -> pids(pidFile, 1).isPresent());

    assertThatThrownBy(
            () ->
                runner(true)
                    .run(
                        agent(dir, "./stubborn.sh", pidFile.toString()),
                        invocation("hi", LONG),
                        context))
        .isInstanceOf(AgentCancelledException.class);
    assertAllGone(1);
  }

  @Test
  void reparentedDescendantsAreKilledThroughTheSession() throws IOException {
    // The child exits at once, so its sleep is re-parented and no longer a descendant.
    script(dir, "orphan.sh", "sleep 600 &\necho $! >> \"$1\"\n");
    script(
        dir,
        "parent.sh",
        "echo $$ >> \"$1\"\n\"$(dirname \"$0\")/orphan.sh\" \"$1\"\nwait\nsleep 600\n");
    TestRunContext context =
        TestRunContext.withTimeout(LONG).cancelWhen(() -> pids(pidFile, 2).isPresent());

    assertThatThrownBy(
            () ->
                runner(true)
                    .run(
                        agent(dir, "./parent.sh", pidFile.toString()),
                        invocation("hi", LONG),
                        context))
        .isInstanceOf(AgentCancelledException.class);
    assertAllGone(2);
  }

  @Test
  void backgroundProcessesLeftAfterSuccessAreStopped() throws IOException {
    script(dir, "leaves.sh", "sleep 600 &\necho $! >> \"$1\"\necho answer\n");

    AgentOutput output =
        runner(true)
            .run(
                agent(dir, "./leaves.sh", pidFile.toString()),
                invocation("hi", LONG),
                TestRunContext.withTimeout(LONG));

    assertThat(output.output()).isEqualTo("answer");
    assertAllGone(1);
  }

  @Test
  void anInterruptedRunStopsTheTreeAndKeepsTheInterrupt() {
    CommandRunner runner = runner(true);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> interrupted = new AtomicReference<>();
    Thread worker =
        new Thread(
            () -> {
              try {
                runner.run(
                    agent(dir, "./tree.sh", pidFile.toString()),
                    invocation("hi", LONG),
                    TestRunContext.withTimeout(LONG));
              } catch (RuntimeException e) {
                thrown.set(e);
              }
              interrupted.set(Thread.currentThread().isInterrupted());
            });
    worker.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> pids(pidFile, 3).isPresent());

    worker.interrupt();

    await().atMost(Duration.ofSeconds(5)).until(() -> interrupted.get() != null);
    assertThat(thrown.get()).isInstanceOf(AgentCancelledException.class);
    assertThat(interrupted.get()).isTrue();
    assertAllGone(3);
  }

  @Test
  void closeStopsRunningAgents() {
    CommandRunner runner = runner(true);
    CompletableFuture<AgentOutput> run =
        CompletableFuture.supplyAsync(
            () ->
                runner.run(
                    agent(dir, "./tree.sh", pidFile.toString()),
                    invocation("hi", LONG),
                    TestRunContext.withTimeout(LONG)));
    await().atMost(Duration.ofSeconds(10)).until(() -> pids(pidFile, 3).isPresent());

    runner.close();

    assertThat(run)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(AgentFailedException.class)
        .withMessageStartingWith("agent 'test-agent' exited with code 143");
    assertAllGone(3);
  }

  @Test
  void floodingStdoutFailsInsteadOfExhaustingMemory() {
    CommandRunner runner =
        new CommandRunner(CommandRunnerOptions.defaults().withMaxOutputBytes(64 * 1024));

    assertThatThrownBy(
            () ->
                runner.run(
                    agent(dir, "yes", "flood"),
                    invocation("hi", LONG),
                    TestRunContext.withTimeout(LONG)))
        .isInstanceOfSatisfying(
            AgentFailedException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ExecutionError.AGENT_FAILED);
              assertThat(e.getMessage())
                  .startsWith("agent 'test-agent' wrote more than 65536 bytes to stdout");
            });
  }

  @Test
  void outputUpToTheBoundIsKept() {
    CommandRunner runner =
        new CommandRunner(CommandRunnerOptions.defaults().withMaxOutputBytes(64 * 1024));

    AgentOutput output =
        runner.run(
            agent(dir, "head", "-c", String.valueOf(64 * 1024), "/dev/zero"),
            invocation("hi", LONG),
            TestRunContext.withTimeout(LONG));

    assertThat(output.output()).hasSize(64 * 1024);
  }

  private CommandRunner runner(boolean newSession) {
    return new CommandRunner(
        CommandRunnerOptions.defaults().withKillGrace(GRACE).withNewSession(newSession));
  }

  private void assertAllGone(int count) {
    List<Long> pids = pids(pidFile, count).orElseThrow();
    assertThat(pids).hasSize(count).allMatch(Agents::isGone, "is gone");
  }
}
