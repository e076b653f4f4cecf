package dev.baton.store.internal;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilderFactory;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Keeps each pooled connection's prepared statements for reuse, by SQL text.
 *
 * <p>SQLite's JDBC driver compiles a statement anew on every {@code prepareStatement}, and Jdbi
 * prepares one per call: 3 % of all CPU at 100 concurrent callers (docs/performance.md, eleventh
 * round). PostgreSQL's driver keeps its own per-connection cache, so this is for SQLite.
 *
 * <p>Statements are prepared on the pool's physical connection (so the pool does not close them
 * when it takes the connection back) and live as long as it: when the pool retires a connection,
 * closing it finalises them, and the cache drops it on the next new connection it sees. A statement
 * is out of the cache while a handle uses it, so a query nested in another's iteration prepares its
 * own. At most {@link #PER_CONNECTION} statements are kept per connection, the least recently used
 * closed first.
 */
public final class CachedStatements implements StatementBuilderFactory {
  static final int PER_CONNECTION = 64;

  private final Map<Connection, Idle> byConnection = new ConcurrentHashMap<>();

  @Override
  public StatementBuilder createStatementBuilder(Connection pooled) {
    Connection physical = physical(pooled);
    Idle idle = byConnection.get(physical);
    if (idle == null) {
      byConnection.keySet().removeIf(CachedStatements::isClosed);
      idle = byConnection.computeIfAbsent(physical, connection -> new Idle());
    }
    return new Builder(physical, idle);
  }

  /** How many connections have statements kept (for tests). */
  int connections() {
    return byConnection.size();
  }

  private static Connection physical(Connection pooled) {
    try {
      return pooled.isWrapperFor(Connection.class) ? pooled.unwrap(Connection.class) : pooled;
    } catch (SQLException e) {
      return pooled;
    }
  }

  private static boolean isClosed(Connection connection) {
    try {
      return connection.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  /** The idle statements of one connection, least recently used first. */
  private static final class Idle {
    private final LinkedHashMap<String, PreparedStatement> statements =
        new LinkedHashMap<>(16, 0.75f, true);

    synchronized PreparedStatement take(String sql) {
      return statements.remove(sql);
    }

    /** Keeps {@code statement}, and returns any it displaced, to be closed. */
    synchronized PreparedStatement keep(String sql, PreparedStatement statement) {
      PreparedStatement displaced = statements.put(sql, statement);
      if (displaced == null && statements.size() > PER_CONNECTION) {
        Iterator<PreparedStatement> eldest = statements.values().iterator();
        displaced = eldest.next();
        eldest.remove();
      }
      return displaced;
    }
  }

  /** One handle's builder: prepares on the physical connection, gives statements back to it. */
  private static final class Builder implements StatementBuilder {
    private final DefaultStatementBuilder uncached = new DefaultStatementBuilder();
    private final Connection physical;
    private final Idle idle;

    /** The statements this handle uses, with the SQL they were prepared from. */
    private final Map<Statement, String> lent = new IdentityHashMap<>();

    Builder(Connection physical, Idle idle) {
      this.physical = physical;
      this.idle = idle;
    }

    @Override
    public PreparedStatement create(Connection conn, String sql, StatementContext ctx)
        throws SQLException {
      if (ctx.isReturningGeneratedKeys() || ctx.isConcurrentUpdatable()) {
        return uncached.create(conn, sql, ctx);
      }
      PreparedStatement statement = idle.take(sql);
      if (statement == null || statement.isClosed()) {
        statement = physical.prepareStatement(sql);
      }
      lent.put(statement, sql);
      return statement;
    }

    @Override
    public void close(Connection conn, String sql, Statement statement) throws SQLException {
      // Jdbi passes the statement's SQL as written; the key is the SQL it was prepared from.
      String prepared = lent.remove(statement);
      if (prepared == null) {
        uncached.close(conn, sql, statement);
        return;
      }
      keep(prepared, (PreparedStatement) statement);
    }

    private void keep(String sql, PreparedStatement prepared) throws SQLException {
      if (prepared.isClosed()) {
        return;
      }
      try {
        prepared.clearParameters();
      } catch (SQLException | RuntimeException e) {
        prepared.close();
        throw e;
      }
      PreparedStatement displaced = idle.keep(sql, prepared);
      if (displaced != null && displaced != prepared) {
        displaced.close();
      }
    }

    @Override
    public Statement create(Connection conn, StatementContext ctx) throws SQLException {
      return uncached.create(conn, ctx);
    }

    @Override
    public CallableStatement createCall(Connection conn, String sql, StatementContext ctx)
        throws SQLException {
      return uncached.createCall(conn, sql, ctx);
    }
  }
}
