package dev.baton.agent;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The agent runners a server offers, by {@link AgentRunner#type()}. Immutable. */
public final class AgentRunners {
  private final Map<String, AgentRunner> byType;

  /**
   * @throws IllegalArgumentException when two runners share a type
   */
  public AgentRunners(List<? extends AgentRunner> runners) {
    Map<String, AgentRunner> map = new TreeMap<>();
    for (AgentRunner runner : runners) {
      AgentRunner previous = map.putIfAbsent(runner.type(), runner);
      if (previous != null) {
        throw new IllegalArgumentException(
            "two agent runners have type '"
                + runner.type()
                + "': "
                + previous.getClass().getName()
                + " and "
                + runner.getClass().getName()
                + "; each type must be unique");
      }
    }
    this.byType = Collections.unmodifiableMap(map);
  }

  public static AgentRunners of(AgentRunner... runners) {
    return new AgentRunners(List.of(runners));
  }

  /** The runner of this type, or empty. */
  public Optional<AgentRunner> find(String type) {
    return Optional.ofNullable(byType.get(type));
  }

  /**
   * The runner of this type.
   *
   * @throws IllegalArgumentException naming the known types when there is none
   */
  public AgentRunner get(String type) {
    AgentRunner runner = byType.get(type);
    if (runner == null) {
      throw new IllegalArgumentException(
          "no agent runner of type '" + type + "'; known types: " + describeTypes());
    }
    return runner;
  }

  /** The known types, sorted. */
  public Set<String> types() {
    return byType.keySet();
  }

  /** The known types for error messages, e.g. {@code command, http}. */
  public String describeTypes() {
    return byType.isEmpty() ? "(none)" : String.join(", ", byType.keySet());
  }
}
