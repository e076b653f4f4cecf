package dev.baton.store;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on PostgreSQL, each test in a schema of its own. The server comes from {@code
 * BATON_TEST_POSTGRES_URL} (see {@code .ci/start-postgres.sh}); without it the tests are skipped,
 * unless {@code BATON_REQUIRE_POSTGRES=true}, as in CI, makes that a failure.
 */
final class PostgresExecutionStoreTest extends ExecutionStoreContract {
  private static final String URL_VARIABLE = "BATON_TEST_POSTGRES_URL";
  private static final String REQUIRE_VARIABLE = "BATON_REQUIRE_POSTGRES";

  private static String serverUrl;
  private String schema;

  @BeforeAll
  static void requirePostgres() {
    serverUrl = System.getenv(URL_VARIABLE);
    if (serverUrl == null || serverUrl.isBlank()) {
      String hint =
          URL_VARIABLE
              + " is not set; start a server with `export "
              + URL_VARIABLE
              + "=$(.ci/start-postgres.sh)`";
      if ("true".equalsIgnoreCase(System.getenv(REQUIRE_VARIABLE))) {
        fail(REQUIRE_VARIABLE + "=true but " + hint);
      }
      assumeTrue(false, "skipping the PostgreSQL store tests: " + hint);
    }
  }

  @Override
  String freshDatabaseUrl() throws SQLException {
    schema = "test_" + UUID.randomUUID().toString().replace("-", "").toLowerCase(Locale.ROOT);
    execute("CREATE SCHEMA " + schema);
    return serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  @Override
  void dropDatabase() throws SQLException {
    if (schema != null) {
      execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  private static void execute(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(serverUrl);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
