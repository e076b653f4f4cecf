package dev.baton.cli.client;

/** What a client command does with a connection to the server. */
@FunctionalInterface
public interface ClientAction {

  /**
   * Runs the command.
   *
   * @param client a connected client, closed by the caller afterwards
   * @return the exit code
   */
  int run(BatonClient client);
}
