package dev.baton.store;

import java.util.Locale;

/** The database engines Baton stores executions in. */
public enum Dialect {
  /** An embedded SQLite file: the single-server default. */
  SQLITE("jdbc:sqlite:", "classpath:db/migration/sqlite"),
  /** A PostgreSQL server: several Baton servers may share it. */
  POSTGRESQL("jdbc:postgresql:", "classpath:db/migration/postgresql");

  private final String urlPrefix;
  private final String migrationLocation;

  Dialect(String urlPrefix, String migrationLocation) {
    this.urlPrefix = urlPrefix;
    this.migrationLocation = migrationLocation;
  }

  /**
   * The dialect of a JDBC URL.
   *
   * @throws IllegalArgumentException for any other kind of URL
   */
  public static Dialect of(String jdbcUrl) {
    if (jdbcUrl != null) {
      String lower = jdbcUrl.toLowerCase(Locale.ROOT);
      for (Dialect dialect : values()) {
        if (lower.startsWith(dialect.urlPrefix)) {
          return dialect;
        }
      }
    }
    throw new IllegalArgumentException(
        "unsupported database URL '"
            + redact(jdbcUrl)
            + "': expected jdbc:sqlite:<file> or jdbc:postgresql://host:port/database");
  }

  String urlPrefix() {
    return urlPrefix;
  }

  /** Where Flyway finds this dialect's migrations. */
  public String migrationLocation() {
    return migrationLocation;
  }

  /** Drops the query part, which may carry a password, from a URL shown in an error. */
  static String redact(String jdbcUrl) {
    if (jdbcUrl == null) {
      return "null";
    }
    int query = jdbcUrl.indexOf('?');
    return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?...";
  }
}
