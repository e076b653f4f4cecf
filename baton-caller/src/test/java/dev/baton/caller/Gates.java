package dev.baton.caller;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gate files of test agents that wait until the file their message names exists: the path to give
 * an agent, and opening it from the test.
 */
record Gates(Path directory) {

  /** The gate's path, as an agent's message. */
  String path(String name) {
    return directory.resolve(name).toString();
  }

  /** Lets the agent waiting on this gate finish. */
  void open(String name) {
    try {
      Files.writeString(directory.resolve(name), "open");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
