package dev.baton.cli.output;

import dev.baton.api.v1.ExecutionEvent;
import java.io.PrintWriter;

/**
 * Renders a watched execution's progress events as indented lines ({@code │} a log line, {@code ⚙}
 * a tool call, {@code »} the answer as it streams) and, on a terminal, a spinner line below them
 * that is redrawn in place.
 */
final class EventLines {
  private static final String[] SPINNER = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
  private static final String CLEAR_LINE = "\r\033[K";
  private static final int STATUS_WIDTH = 70;

  private final PrintWriter out;
  private final boolean terminal;
  private final StringBuilder answer = new StringBuilder();
  private String phase = "";
  private long events;
  private int frame;
  private boolean statusShown;

  EventLines(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** Prints the event's lines (a message chunk only once its line is complete). */
  void event(ExecutionEvent event) {
    events++;
    clearStatus();
    switch (event.getType()) {
      case MESSAGE_CHUNK -> {
        answer.append(event.getText());
        int newline;
        while ((newline = answer.indexOf("\n")) >= 0) {
          out.println("  » " + answer.substring(0, newline));
          answer.delete(0, newline + 1);
        }
      }
      case TOOL_CALL_STARTED -> line("  ⚙ tool " + event.getText() + " started");
      case TOOL_CALL_ENDED -> line("  ⚙ tool " + event.getText());
      case EVENTS_DROPPED -> line("  … " + event.getText());
      default -> line("  │ " + event.getText());
    }
    showStatus();
  }

  /** Before a line about the execution: ends a pending answer line and clears the spinner. */
  void beforeLine() {
    clearStatus();
    endAnswer();
  }

  /** After a line about the execution: the spinner again, with the execution's phase. */
  void afterLine(String currentPhase, boolean finished) {
    phase = currentPhase;
    if (!finished) {
      showStatus();
    }
  }

  private void line(String text) {
    endAnswer();
    out.println(text);
  }

  private void endAnswer() {
    if (answer.length() > 0) {
      out.println("  » " + answer);
      answer.setLength(0);
    }
  }

  private void showStatus() {
    if (!terminal) {
      out.flush();
      return;
    }
    frame = (frame + 1) % SPINNER.length;
    String status =
        SPINNER[frame]
            + " "
            + phase
            + " · "
            + events
            + (events == 1 ? " event" : " events")
            + (answer.length() > 0 ? " · " + answer : "");
    out.print(Formats.oneLine(status, STATUS_WIDTH));
    statusShown = true;
    out.flush();
  }

  private void clearStatus() {
    if (statusShown) {
      out.print(CLEAR_LINE);
      statusShown = false;
    }
  }
}
