package dev.baton.store.internal;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Text as the store writes it: each NUL (U+0000) becomes U+FFFD, the replacement character that
 * bytes an agent wrote that were not UTF-8 already become.
 *
 * <p>PostgreSQL refuses U+0000 in text ("invalid byte sequence for encoding UTF8: 0x00") and in
 * jsonb ("unsupported Unicode escape sequence"), where SQLite keeps it. Text an agent produced
 * (output, structured output, error messages, progress events) may hold one; refused, the write of
 * the execution's end failed on PostgreSQL and the execution ended as lost, its output gone. So
 * every JSON column ({@link ExecutionJson}) and the events' text ({@link EventTable}) pass through
 * here, on both databases alike. Create refuses a NUL in what it would store (the message, labels,
 * caller, request id) instead; other text, such as a cancel reason, is stored like an agent's.
 */
final class StoredText {
  static final char NUL = '\u0000';
  static final char REPLACEMENT = '\uFFFD';

  /** For Jackson: writes U+FFFD for U+0000 in every JSON string, and escapes the rest as usual. */
  static final CharacterEscapes JSON_ESCAPES = new NulEscapes();

  private StoredText() {}

  /** {@code text} with each U+0000 replaced by U+FFFD; {@code null} stays {@code null}. */
  static String of(String text) {
    return text == null || text.indexOf(NUL) < 0 ? text : text.replace(NUL, REPLACEMENT);
  }

  private static final class NulEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;

    private final int[] codes;
    private final SerializableString replacement =
        new SerializedString(String.valueOf(REPLACEMENT));

    NulEscapes() {
      codes = standardAsciiEscapesForJSON();
      codes[NUL] = ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return codes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch == NUL ? replacement : null;
    }
  }
}
