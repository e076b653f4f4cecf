package dev.baton.agent.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger of running command agents, with real processes in sessions of their own: what a server
 * killed with {@code kill -9} left running is stopped by the next one, and nothing of a live server
 * is touched.
 */
class SessionLedgerTest {
  private static final Duration GRACE = Duration.ofSeconds(2);

  @TempDir Path directory;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    for (Process process : started) {
      Sessions.members(process.pid()).forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  @Test
  void stopsTheWholeSessionOfAnAgentWhoseServerIsGone() throws Exception {
    SessionLedger ledger = SessionLedger.in(directory);
    Process agent = inOwnSession("sleep 300 & sleep 300");
    List<ProcessHandle> session = awaitMembers(agent.pid(), 2);
    ledger.started(agent.toHandle(), "exec-1");
    fromAServerThatIsGone(agent.pid());

    int stopped = SessionLedger.in(directory).stopOrphans(GRACE);

    assertThat(stopped).isEqualTo(1);
    assertThat(session).allMatch(Sessions::isGone);
    assertThat(directory).isEmptyDirectory();
  }

  @Test
  void stopsWhatIsLeftOfASessionWhoseLeaderExited() throws Exception {
    SessionLedger ledger = SessionLedger.in(directory);
    Process agent = inOwnSession("sleep 300 & exit 0");
    ledger.started(agent.toHandle(), "exec-2");
    assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();
    List<ProcessHandle> left = awaitMembers(agent.pid(), 1);
    fromAServerThatIsGone(agent.pid());

    int stopped = SessionLedger.in(directory).stopOrphans(GRACE);

    assertThat(stopped).isEqualTo(1);
    assertThat(left).allMatch(Sessions::isGone);
  }

  @Test
  void leavesTheAgentsOfALiveServerAlone() throws Exception {
    SessionLedger ledger = SessionLedger.in(directory);
    Process agent = inOwnSession("sleep 300");
    ledger.started(agent.toHandle(), "exec-3");

    int stopped = SessionLedger.in(directory).stopOrphans(GRACE);

    assertThat(stopped).isZero();
    assertThat(agent.isAlive()).isTrue();
    assertThat(entry(agent.pid())).exists();
  }

  @Test
  void forgetsTheEndedAgentsOfAServerThatIsGoneAndAnAgentThatEndsIsForgotten() throws Exception {
    SessionLedger ledger = SessionLedger.in(directory);
    Process ended = inOwnSession("exit 0");
    ledger.started(ended.toHandle(), "exec-4");
    assertThat(ended.waitFor(10, TimeUnit.SECONDS)).isTrue();
    fromAServerThatIsGone(ended.pid());
    Process forgotten = inOwnSession("exit 0");
    ledger.started(forgotten.toHandle(), "exec-5");
    ledger.ended(forgotten.toHandle());

    int stopped = SessionLedger.in(directory).stopOrphans(GRACE);

    assertThat(stopped).isZero();
    assertThat(directory).isEmptyDirectory();
  }

  private Process inOwnSession(String script) throws IOException {
    Process process =
        new ProcessBuilder(Sessions.setsid().orElseThrow().toString(), "-w", "sh", "-c", script)
            .start();
    started.add(process);
    return process;
  }

  /** Waits until the session led by {@code pid} has at least {@code count} live members. */
  private static List<ProcessHandle> awaitMembers(long pid, int count) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> Sessions.members(pid), members -> members.size() >= count);
  }

  /** Rewrites the entry as if another server process, now ended, had written it. */
  private void fromAServerThatIsGone(long agentPid) throws IOException {
    Properties entry = new Properties();
    try (Reader in = Files.newBufferedReader(entry(agentPid))) {
      entry.load(in);
    }
    // This process's pid, started at another time: a server whose pid was reused.
    entry.setProperty("serverStart", "2000-01-01T00:00:00Z");
    try (Writer out = Files.newBufferedWriter(entry(agentPid))) {
      entry.store(out, null);
    }
  }

  private Path entry(long agentPid) {
    return directory.resolve(agentPid + ".agent");
  }
}
