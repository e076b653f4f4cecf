package dev.baton.agent.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentInvocation;
import dev.baton.agent.AgentSettings;
import dev.baton.execution.OnCallerGone;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Builds command agents around shell scripts written for a test, and checks their processes. */
final class Agents {
  private Agents() {}

  /** Writes an executable POSIX sh script. */
  static Path script(Path dir, String name, String body) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  /** A command agent declared in {@code dir}, running {@code command}. */
  static AgentDefinition agent(Path dir, String... command) {
    ObjectNode settings = JsonNodeFactory.instance.objectNode();
    ArrayNode parts = settings.putArray("command");
    for (String part : command) {
      parts.add(part);
    }
    settings.put(AgentSettings.BASE_DIRECTORY, dir.toString());
    return new AgentDefinition(
        "test-agent", "", CommandRunner.TYPE, settings, Duration.ofMinutes(1), OnCallerGone.CANCEL);
  }

  static AgentInvocation invocation(String message, Duration timeout) {
    return new AgentInvocation("exec-1", "test-agent", message, timeout);
  }

  /** The pids a script wrote, one a line, once it has written all {@code count}. */
  static Optional<List<Long>> pids(Path file, int count) {
    try {
      List<Long> pids =
          Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(Long::valueOf).toList();
      return pids.size() >= count ? Optional.of(pids) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Whether a process is gone: ended, or a zombie that nothing reaps. */
  static boolean isGone(long pid) {
    return ProcessHandle.of(pid).map(Sessions::isGone).orElse(true);
  }
}
