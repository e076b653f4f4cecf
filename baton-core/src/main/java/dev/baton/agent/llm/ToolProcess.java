package dev.baton.agent.llm;

import dev.baton.agent.Durations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one call of a {@link CommandTool}: the arguments JSON on stdin and in {@code
 * BATON_TOOL_ARGS}, stdout is the result. Whatever goes wrong with the tool is a result for the
 * model ({@link Result#error()}), never a failure of the run; only cancellation and the run's
 * deadline stop the run, and they stop the tool's process tree first.
 */
final class ToolProcess {
  private static final int STDERR_TAIL = 2 * 1024;
  private static final int MAX_ARGS_IN_ENV = 64 * 1024;
  private static final long OUTPUT_GRACE_SECONDS = 5;

  /** What the tool answered; {@code error} when it failed, {@code text} then says how. */
  record Result(String text, boolean error) {}

  private final Heartbeats heartbeats;
  private final Executor executor;
  private final int maxOutputBytes;
  private final Map<String, String> env;
  private final Set<String> hiddenVariables;

  /**
   * @param env variables added for every tool ({@code BATON_EXECUTION_ID}, {@code BATON_AGENT})
   * @param hiddenVariables variables that may hold the API key or other secrets of the settings,
   *     removed from the tool's environment
   */
  ToolProcess(
      Heartbeats heartbeats,
      Executor executor,
      int maxOutputBytes,
      Map<String, String> env,
      Set<String> hiddenVariables) {
    this.heartbeats = heartbeats;
    this.executor = executor;
    this.maxOutputBytes = maxOutputBytes;
    this.env = env;
    this.hiddenVariables = Set.copyOf(hiddenVariables);
  }

  Result run(CommandTool tool, String arguments, String step) {
    String args = arguments == null || arguments.isBlank() ? "{}" : arguments;
    Process process;
    try {
      process = processBuilder(tool, args).start();
    } catch (IOException | IllegalArgumentException e) {
      return new Result("tool '" + tool.name() + "' could not be started: " + e.getMessage(), true);
    }
    try {
      CompletableFuture.runAsync(() -> write(process.getOutputStream(), args), executor);
      CompletableFuture<byte[]> stdout =
          CompletableFuture.supplyAsync(
              () -> read(process.getInputStream(), maxOutputBytes + 1), executor);
      CompletableFuture<byte[]> stderr =
          CompletableFuture.supplyAsync(() -> tail(process.getErrorStream()), executor);
      long end = System.nanoTime() + tool.timeout().toNanos();
      String progress = step + ": running tool '" + tool.name() + "'";
      while (!process.waitFor(heartbeats.pollMillis(), TimeUnit.MILLISECONDS)) {
        heartbeats.beat(progress);
        if (System.nanoTime() - end > 0) {
          kill(process);
          return new Result(
              "tool '"
                  + tool.name()
                  + "' did not finish within "
                  + Durations.format(tool.timeout())
                  + " and was stopped",
              true);
        }
      }
      return result(
          tool,
          process.exitValue(),
          stdout.get(OUTPUT_GRACE_SECONDS, TimeUnit.SECONDS),
          stderr.get(OUTPUT_GRACE_SECONDS, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      throw heartbeats.interrupted(e);
    } catch (ExecutionException | TimeoutException e) {
      return new Result(
          "tool '"
              + tool.name()
              + "' exited but its output stayed open: a process it started in the background"
              + " still holds it",
          true);
    } finally {
      kill(process);
    }
  }

  private Result result(CommandTool tool, int exitCode, byte[] stdout, byte[] stderr) {
    if (exitCode != 0) {
      String tail = new String(stderr, StandardCharsets.UTF_8).strip();
      return new Result(
          "tool '"
              + tool.name()
              + "' exited with code "
              + exitCode
              + (tail.isEmpty() ? " and wrote nothing to stderr" : ": " + tail),
          true);
    }
    if (stdout.length > maxOutputBytes) {
      String kept = new String(stdout, 0, maxOutputBytes, StandardCharsets.UTF_8);
      return new Result(
          kept + "\n[output truncated: the tool wrote more than " + maxOutputBytes + " bytes]",
          false);
    }
    return new Result(new String(stdout, StandardCharsets.UTF_8).stripTrailing(), false);
  }

  private ProcessBuilder processBuilder(CommandTool tool, String args) {
    List<String> command = new ArrayList<>(tool.command());
    String program = command.get(0);
    if (program.indexOf('/') >= 0 && tool.baseDirectory() != null) {
      command.set(0, tool.baseDirectory().resolve(Path.of(program)).normalize().toString());
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeAll(hiddenVariables);
    environment.putAll(env);
    environment.put("BATON_TOOL_NAME", tool.name());
    environment.remove("BATON_TOOL_ARGS");
    if (args.length() <= MAX_ARGS_IN_ENV && args.indexOf('\0') < 0) {
      environment.put("BATON_TOOL_ARGS", args);
    }
    return builder;
  }

  private static void write(OutputStream stdin, String args) {
    try (stdin) {
      stdin.write(args.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // The tool exited or closed stdin without reading it: its choice.
    }
  }

  /** Up to {@code limit} bytes, then drains the rest so the tool never blocks on a full pipe. */
  private static byte[] read(InputStream in, int limit) {
    try (in) {
      byte[] kept = in.readNBytes(limit);
      in.transferTo(OutputStream.nullOutputStream());
      return kept;
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static byte[] tail(InputStream in) {
    ByteArrayOutputStream tail = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try (in) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        tail.write(buffer, 0, n);
        if (tail.size() > 4 * STDERR_TAIL) {
          byte[] all = tail.toByteArray();
          tail.reset();
          tail.write(all, all.length - STDERR_TAIL, STDERR_TAIL);
        }
      }
    } catch (IOException e) {
      // What was read so far is the tail.
    }
    byte[] all = tail.toByteArray();
    if (all.length <= STDERR_TAIL) {
      return all;
    }
    byte[] last = new byte[STDERR_TAIL];
    System.arraycopy(all, all.length - STDERR_TAIL, last, 0, STDERR_TAIL);
    return last;
  }

  /** Kills the tool and everything it started. */
  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
