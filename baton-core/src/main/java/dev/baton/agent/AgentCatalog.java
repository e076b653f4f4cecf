package dev.baton.agent;

import java.util.List;
import java.util.Optional;

/** The agents a server can run, by name. */
public interface AgentCatalog {

  /** All agents, sorted by name. */
  List<AgentDefinition> list();

  Optional<AgentDefinition> find(String name);
}
