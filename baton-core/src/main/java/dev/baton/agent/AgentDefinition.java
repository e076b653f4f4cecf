package dev.baton.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.execution.OnCallerGone;
import java.time.Duration;
import java.util.Objects;

/**
 * An agent as declared in YAML.
 *
 * @param runner the {@link AgentRunner#type()} that runs it, e.g. {@code command}
 * @param settings the runner's own settings (the YAML {@code settings} mapping), never null
 * @param timeout the default deadline of one execution
 * @param maxConcurrent how many executions of this agent may run at once (more wait PENDING and
 *     start in creation order), or {@link #SERVER_DEFAULT_CONCURRENCY} for the server's default
 */
public record AgentDefinition(
    String name,
    String description,
    String runner,
    ObjectNode settings,
    Duration timeout,
    OnCallerGone onCallerGone,
    int maxConcurrent) {

  /** {@link #maxConcurrent()} when the YAML sets none: the server's default applies. */
  public static final int SERVER_DEFAULT_CONCURRENCY = 0;

  public AgentDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(runner, "runner");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(onCallerGone, "onCallerGone");
    description = description == null ? "" : description;
    if (maxConcurrent < 0) {
      throw new IllegalArgumentException(
          "maxConcurrent of agent '" + name + "' must be 1 or more, got " + maxConcurrent);
    }
  }

  /** An agent that takes the server's default concurrency. */
  public AgentDefinition(
      String name,
      String description,
      String runner,
      ObjectNode settings,
      Duration timeout,
      OnCallerGone onCallerGone) {
    this(name, description, runner, settings, timeout, onCallerGone, SERVER_DEFAULT_CONCURRENCY);
  }
}
