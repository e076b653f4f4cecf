package dev.baton.agent.command;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads a process's stderr on its own thread to its end, keeping only the last bytes: enough to
 * explain a failure and to show progress, however much the agent logs. Each non-blank line also
 * goes to a listener as it completes (cut at {@value #MAX_LINE_BYTES} bytes).
 */
final class TailCapture implements Runnable {
  private static final int MAX_LINE = 200;
  private static final int MAX_LINE_BYTES = 4096;

  private final InputStream stream;
  private final byte[] ring;
  private final Consumer<String> lines;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean lineCut;
  private long total;

  TailCapture(InputStream stream, int limit, Consumer<String> lines) {
    this.stream = stream;
    this.ring = new byte[limit];
    this.lines = lines;
  }

  @Override
  public void run() {
    byte[] buffer = new byte[4096];
    try (stream) {
      int read;
      while ((read = stream.read(buffer)) >= 0) {
        append(buffer, read);
        splitLines(buffer, read);
      }
    } catch (IOException e) {
      // The stream is closed when the process is stopped; the tail read so far stands.
    }
    endLine();
  }

  private void splitLines(byte[] buffer, int length) {
    for (int i = 0; i < length; i++) {
      if (buffer[i] == '\n') {
        endLine();
      } else if (line.size() < MAX_LINE_BYTES) {
        line.write(buffer[i]);
      } else {
        lineCut = true;
      }
    }
  }

  private void endLine() {
    String text = line.toString(StandardCharsets.UTF_8).strip();
    boolean cut = lineCut;
    line.reset();
    lineCut = false;
    if (!text.isEmpty()) {
      try {
        lines.accept(cut ? text + "…" : text);
      } catch (RuntimeException e) {
        // Progress is best effort: reading stderr must go on.
      }
    }
  }

  private synchronized void append(byte[] buffer, int length) {
    for (int i = 0; i < length; i++) {
      ring[(int) (total++ % ring.length)] = buffer[i];
    }
  }

  /** The last bytes written, decoded as UTF-8, without trailing whitespace. */
  synchronized String tail() {
    int length = (int) Math.min(total, ring.length);
    byte[] bytes = new byte[length];
    int start = (int) ((total - length) % ring.length);
    for (int i = 0; i < length; i++) {
      bytes[i] = ring[(start + i) % ring.length];
    }
    String text = new String(bytes, StandardCharsets.UTF_8).stripTrailing();
    if (total <= ring.length) {
      return text;
    }
    // Cut: start at the first whole line when the tail holds one, and say that lines came before.
    int newline = text.indexOf('\n');
    if (newline >= 0 && newline < text.length() - 1) {
      return "..." + text.substring(newline);
    }
    // One long line: a cut through a multi-byte character leaves a replacement character first.
    return text.startsWith("\uFFFD") ? text.substring(1) : text;
  }

  /** The last non-blank line written, shortened, or empty. */
  String lastLine() {
    String tail = tail();
    String line = tail.substring(tail.lastIndexOf('\n') + 1).strip();
    return line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "..." : line;
  }
}
