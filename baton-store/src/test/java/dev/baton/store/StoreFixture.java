package dev.baton.store;

/** What the contract tests need from a backend: a fresh, migrated database per test. */
interface StoreFixture {
  Database database();

  JdbcExecutionStore store();

  /** What the store encrypts callback tokens with; the same across {@link #reopen()}. */
  TokenCipher tokens();

  TestExecutions executions();

  /** Closes the database and opens the same one again, as a restarted server would. */
  void reopen();
}
