package dev.baton.agent.command;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a process's stdout on its own thread, keeping at most a bound. Past the bound it stops
 * reading (the process then blocks on its next write) and reports {@link #overflowed()}, so an
 * agent that floods stdout fails instead of exhausting the server's memory.
 */
final class OutputCapture implements Runnable {
  private final InputStream stream;
  private final long limit;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private volatile long size;
  private volatile boolean overflowed;

  OutputCapture(InputStream stream, long limit) {
    this.stream = stream;
    this.limit = limit;
  }

  @Override
  public void run() {
    byte[] buffer = new byte[8192];
    try (stream) {
      int read;
      while ((read = stream.read(buffer)) >= 0) {
        if (size + read > limit) {
          overflowed = true;
          return;
        }
        synchronized (bytes) {
          bytes.write(buffer, 0, read);
        }
        size += read;
      }
    } catch (IOException e) {
      // The stream is closed when the process is stopped; what was read so far stands.
    }
  }

  /** Bytes read so far. */
  long size() {
    return size;
  }

  boolean overflowed() {
    return overflowed;
  }

  /** Everything read, decoded as UTF-8 (malformed bytes become U+FFFD). */
  String text() {
    synchronized (bytes) {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
