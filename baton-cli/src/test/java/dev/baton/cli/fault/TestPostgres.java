package dev.baton.cli.fault;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A schema of its own on the PostgreSQL server named by {@code BATON_TEST_POSTGRES_URL} (see {@code
 * .ci/start-postgres.sh}). Without that variable the test is skipped, unless {@code
 * BATON_REQUIRE_POSTGRES=true}, as in CI, makes that a failure.
 */
final class TestPostgres implements AutoCloseable {
  private static final String URL_VARIABLE = "BATON_TEST_POSTGRES_URL";
  private static final String REQUIRE_VARIABLE = "BATON_REQUIRE_POSTGRES";

  private final String serverUrl;
  private final String schema;

  private TestPostgres(String serverUrl, String schema) {
    this.serverUrl = serverUrl;
    this.schema = schema;
  }

  /** Creates a fresh schema, or skips (or fails) the calling test when there is no server. */
  static TestPostgres freshSchema() throws SQLException {
    String serverUrl = System.getenv(URL_VARIABLE);
    if (serverUrl == null || serverUrl.isBlank()) {
      String hint =
          URL_VARIABLE
              + " is not set; start a server with `export "
              + URL_VARIABLE
              + "=$(.ci/start-postgres.sh)`";
      if ("true".equalsIgnoreCase(System.getenv(REQUIRE_VARIABLE))) {
        fail(REQUIRE_VARIABLE + "=true but " + hint);
      }
      assumeTrue(false, "skipping the PostgreSQL fault test: " + hint);
    }
    String schema =
        "baton_fault_" + UUID.randomUUID().toString().replace("-", "").toLowerCase(Locale.ROOT);
    execute(serverUrl, "CREATE SCHEMA " + schema);
    return new TestPostgres(serverUrl, schema);
  }

  /** The JDBC URL a Baton server uses to keep its data in this schema. */
  String url() {
    return serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  @Override
  public void close() throws SQLException {
    execute(serverUrl, "DROP SCHEMA " + schema + " CASCADE");
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
