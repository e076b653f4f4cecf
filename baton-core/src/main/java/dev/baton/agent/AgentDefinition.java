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
 */
public record AgentDefinition(
    String name,
    String description,
    String runner,
    ObjectNode settings,
    Duration timeout,
    OnCallerGone onCallerGone) {

  public AgentDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(runner, "runner");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(onCallerGone, "onCallerGone");
    description = description == null ? "" : description;
  }
}
