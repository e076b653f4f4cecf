package dev.baton.agent.command;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link CommandRunner} runs processes.
 *
 * @param maxOutputBytes the most stdout an agent may write; beyond it the run fails (16 MiB)
 * @param stderrTailBytes how much of the end of stderr is kept for error messages (4 KiB)
 * @param killGrace how long a stopped process has between SIGTERM and SIGKILL (2 s)
 * @param pollInterval how often the runner heartbeats and checks the deadline (250 ms)
 * @param maxEnvMessageBytes the largest message also passed as {@code BATON_MESSAGE} (64 KiB):
 *     Linux refuses to start a process with one environment string over 128 KiB
 * @param newSession whether to start each agent in its own session via {@code setsid}, so that even
 *     descendants that outlive their parent are found and stopped (default: when {@code setsid} and
 *     {@code /proc} exist)
 * @param clock what the deadline is compared with
 */
public record CommandRunnerOptions(
    long maxOutputBytes,
    int stderrTailBytes,
    Duration killGrace,
    Duration pollInterval,
    int maxEnvMessageBytes,
    boolean newSession,
    Clock clock) {

  public CommandRunnerOptions {
    Objects.requireNonNull(killGrace, "killGrace");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(clock, "clock");
    if (maxOutputBytes <= 0 || maxOutputBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxOutputBytes must be in 1..2 GiB: " + maxOutputBytes);
    }
    if (stderrTailBytes <= 0 || maxEnvMessageBytes < 0) {
      throw new IllegalArgumentException("stderrTailBytes and maxEnvMessageBytes must be positive");
    }
    if (killGrace.isNegative() || pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("killGrace and pollInterval must be positive");
    }
  }

  /** The defaults documented on each field. */
  public static CommandRunnerOptions defaults() {
    return new CommandRunnerOptions(
        16L * 1024 * 1024,
        4 * 1024,
        Duration.ofSeconds(2),
        Duration.ofMillis(250),
        64 * 1024,
        Sessions.available(),
        Clock.systemUTC());
  }

  public CommandRunnerOptions withMaxOutputBytes(long value) {
    return new CommandRunnerOptions(
        value, stderrTailBytes, killGrace, pollInterval, maxEnvMessageBytes, newSession, clock);
  }

  public CommandRunnerOptions withKillGrace(Duration value) {
    return new CommandRunnerOptions(
        maxOutputBytes,
        stderrTailBytes,
        value,
        pollInterval,
        maxEnvMessageBytes,
        newSession,
        clock);
  }

  public CommandRunnerOptions withNewSession(boolean value) {
    return new CommandRunnerOptions(
        maxOutputBytes, stderrTailBytes, killGrace, pollInterval, maxEnvMessageBytes, value, clock);
  }
}
