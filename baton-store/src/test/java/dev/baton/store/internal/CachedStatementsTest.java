package dev.baton.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

class CachedStatementsTest {
  private static final String BY_ID = "SELECT name FROM items WHERE id = :id";

  @TempDir Path dir;
  private HikariDataSource pool;
  private Jdbi jdbi;
  private final CachedStatements cache = new CachedStatements();

  /** The statements queries ran on, in order. */
  private final List<Statement> used = new ArrayList<>();

  private final StatementCustomizer recorder =
      new StatementCustomizer() {
        @Override
        public void beforeExecution(PreparedStatement statement, StatementContext ctx) {
          used.add(statement);
        }
      };

  @BeforeEach
  void open() {
    SQLiteDataSource sqlite = new SQLiteDataSource();
    sqlite.setUrl("jdbc:sqlite:" + dir.resolve("cache.db"));
    HikariConfig config = new HikariConfig();
    config.setDataSource(sqlite);
    // One connection, so every handle gets the one whose statements are kept.
    config.setMaximumPoolSize(1);
    pool = new HikariDataSource(config);
    jdbi = Jdbi.create(pool);
    jdbi.setStatementBuilderFactory(cache);
    jdbi.useHandle(
        handle -> {
          handle.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)");
          handle.execute("INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three')");
        });
  }

  @AfterEach
  void close() {
    pool.close();
  }

  private String name(Handle handle, int id) {
    return handle
        .createQuery(BY_ID)
        .addCustomizer(recorder)
        .bind("id", id)
        .mapTo(String.class)
        .one();
  }

  private String nameOf(int id) {
    return jdbi.withHandle(handle -> name(handle, id));
  }

  @Test
  void aStatementIsPreparedOnceAndReusedByLaterHandlesWithTheirOwnParameters() {
    assertThat(nameOf(1)).isEqualTo("one");
    assertThat(nameOf(2)).isEqualTo("two");
    String inTransaction = jdbi.inTransaction(handle -> name(handle, 3));
    assertThat(inTransaction).isEqualTo("three");

    assertThat(used).hasSize(3);
    assertThat(used.get(1)).isSameAs(used.get(0));
    assertThat(used.get(2)).isSameAs(used.get(0));
  }

  @Test
  void updatesAreKeptToo() {
    for (int i = 0; i < 2; i++) {
      int id = 10 + i;
      jdbi.useHandle(
          handle ->
              handle
                  .createUpdate("INSERT INTO items (id, name) VALUES (:id, :name)")
                  .addCustomizer(recorder)
                  .bind("id", id)
                  .bind("name", "n" + id)
                  .execute());
    }

    assertThat(used.get(1)).isSameAs(used.get(0));
    assertThat(nameOf(11)).isEqualTo("n11");
  }

  @Test
  void aQueryRunWhileTheSameOneIsStillReadGetsAStatementOfItsOwn() {
    String from = "SELECT id FROM items WHERE id >= :from ORDER BY id";
    // Kept once, so that the outer query below takes it from the cache.
    jdbi.useHandle(handle -> handle.createQuery(from).bind("from", 1).mapTo(Integer.class).list());
    List<String> counts =
        jdbi.<List<String>, RuntimeException>withHandle(
            handle ->
                handle
                    .createQuery(from)
                    .addCustomizer(recorder)
                    .bind("from", 1)
                    .mapTo(Integer.class)
                    .stream()
                    .map(
                        id ->
                            id
                                + ":"
                                + handle
                                    .createQuery(from)
                                    .addCustomizer(recorder)
                                    .bind("from", id)
                                    .mapTo(Integer.class)
                                    .list()
                                    .size())
                    .toList());

    // Had the inner queries run on the outer one's statement, they would have reset its rows.
    assertThat(counts).containsExactly("1:3", "2:2", "3:1");
    // (The last may reuse it: the outer statement is given back once its last row is read.)
    assertThat(used.get(1)).isNotSameAs(used.get(0));
  }

  @Test
  void theLeastRecentlyUsedStatementIsClosedBeyondTheLimit() throws Exception {
    jdbi.useHandle(handle -> name(handle, 1));
    Statement first = used.get(0);
    for (int i = 0; i < CachedStatements.PER_CONNECTION; i++) {
      int n = i;
      jdbi.useHandle(handle -> handle.createQuery("SELECT " + n).mapTo(Integer.class).one());
    }

    assertThat(first.isClosed()).isTrue();
    assertThat(nameOf(2)).isEqualTo("two");
    assertThat(used.get(1)).isNotSameAs(first);
  }

  @Test
  void aConnectionThePoolRetiredIsDroppedWithItsStatements() throws Exception {
    assertThat(nameOf(1)).isEqualTo("one");
    pool.getHikariPoolMXBean().softEvictConnections();

    // The pool closes a retired connection on a thread of its own; closing it finalises the
    // statements prepared on it (sqlite-jdbc's DB.close), the ones kept here too.
    Statement first = used.get(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> first.getConnection().isClosed());

    assertThat(nameOf(2)).isEqualTo("two");

    assertThat(used.get(1)).isNotSameAs(first);
    assertThat(cache.connections()).isEqualTo(1);
  }
}
