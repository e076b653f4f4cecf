package dev.baton.agent;

/** Hears how loading the agent files goes (metrics). */
public interface AgentCatalogObserver {
  /** Hears nothing. */
  AgentCatalogObserver NONE =
      new AgentCatalogObserver() {
        @Override
        public void agentsLoaded(int agents) {}

        @Override
        public void agentFilesRefused(boolean refused) {}
      };

  /** The server now serves this many agents. */
  void agentsLoaded(int agents);

  /**
   * Whether the agent files as they are now were refused (the server keeps the agents it loaded
   * before), or loaded.
   */
  void agentFilesRefused(boolean refused);
}
