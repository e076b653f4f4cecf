package dev.baton.cli.exec;

import dev.baton.cli.client.ClientOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --label KEY=VALUE} values, as {@code exec create} sets them and {@code exec list} filters.
 */
final class LabelArguments {
  private LabelArguments() {}

  /**
   * The values by key.
   *
   * @throws picocli.CommandLine.ParameterException a usage error for a value without {@code =}, or
   *     a key given twice (one of its values would be lost)
   */
  static Map<String, String> byKey(List<String> labels, ClientOptions client) {
    Map<String, String> byKey = new LinkedHashMap<>();
    for (String label : labels) {
      int equals = label.indexOf('=');
      if (equals <= 0) {
        throw client.usageError("--label expects KEY=VALUE, got '" + label + "'");
      }
      String key = label.substring(0, equals);
      String value = label.substring(equals + 1);
      String earlier = byKey.putIfAbsent(key, value);
      if (earlier != null) {
        throw client.usageError(
            "--label "
                + key
                + " is given twice ('"
                + key
                + "="
                + earlier
                + "' and '"
                + label
                + "'); give each key once");
      }
    }
    return byKey;
  }
}
