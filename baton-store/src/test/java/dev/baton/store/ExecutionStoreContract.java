package dev.baton.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The behaviour every {@link JdbcExecutionStore} backend shares; a subclass per database supplies a
 * fresh database URL for each test.
 */
abstract class ExecutionStoreContract
    implements CreateContract,
        ListContract,
        TransitionContract,
        CallbackContract,
        EventContract,
        TokenMigrationContract,
        AdmissionContract,
        LeaseContract,
        NulTextContract,
        RetentionContract {
  private final TestExecutions executions = new TestExecutions();
  private final TokenCipher tokens = TokenCipher.ephemeral();
  private String url;
  private Database database;
  private JdbcExecutionStore store;

  /** A JDBC URL of an empty database that no other test uses. */
  abstract String freshDatabaseUrl() throws Exception;

  /** Removes what {@link #freshDatabaseUrl} made, once the test's database is closed. */
  void dropDatabase() throws Exception {}

  @BeforeEach
  void openStore() throws Exception {
    url = freshDatabaseUrl();
    open();
  }

  @AfterEach
  void closeStore() throws Exception {
    if (database != null) {
      database.close();
    }
    dropDatabase();
  }

  private void open() {
    database = Database.open(url);
    store = new JdbcExecutionStore(database, tokens);
  }

  @Override
  public Database database() {
    return database;
  }

  @Override
  public JdbcExecutionStore store() {
    return store;
  }

  @Override
  public TokenCipher tokens() {
    return tokens;
  }

  @Override
  public TestExecutions executions() {
    return executions;
  }

  @Override
  public void reopen() {
    database.close();
    database = null;
    open();
  }
}
