package dev.baton.store;

/** What the contract tests need from a backend: a fresh, migrated database per test. */
interface StoreFixture {
  Database database();

  JdbcExecutionStore store();

  TestExecutions executions();

  /** Closes the database and opens the same one again, as a restarted server would. */
  void reopen();
}
