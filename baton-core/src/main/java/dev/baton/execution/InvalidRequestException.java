package dev.baton.execution;

/** A request was malformed; its message says which field, what was expected and what came. */
public final class InvalidRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public InvalidRequestException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  public String field() {
    return field;
  }

  /**
   * A request value as an error message shows it: quoted, and cut after 40 characters (a huge value
   * echoed whole would push the status message past the client's header limit).
   */
  public static String quoted(String value) {
    if (value == null) {
      return "nothing";
    }
    if (value.length() <= 40) {
      return "'" + value + "'";
    }
    int end = Character.isHighSurrogate(value.charAt(39)) ? 39 : 40;
    return "'" + value.substring(0, end) + "...' (" + value.length() + " characters)";
  }
}
