package dev.baton.store.internal;

import dev.baton.store.Dialect;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The SQL that finds and replaces callback tokens an older Baton stored in plaintext. A stored
 * token is encrypted when its first byte is the format version 1 (see {@code TokenCipher}); a
 * Temporal task token never starts with that byte, so the database can tell the two apart without
 * sending every token to the server.
 */
public final class TokenColumn {
  private final String plaintext;

  public TokenColumn(Dialect dialect) {
    this.plaintext =
        switch (dialect) {
          case SQLITE -> "substr(callback_token, 1, 1) <> X'01'";
          case POSTGRESQL -> "substring(callback_token from 1 for 1) <> decode('01', 'hex')";
        };
  }

  /** A stored token as it is in the column. */
  public record StoredToken(String id, byte[] token) {}

  /** Up to {@code limit} rows with a plaintext token and an id after {@code afterId}, by id. */
  public List<StoredToken> plaintextAfter(Handle handle, String afterId, int limit) {
    return handle
        .createQuery(
            "SELECT id, callback_token FROM executions WHERE callback_token IS NOT NULL AND "
                + plaintext
                + " AND id > :after ORDER BY id LIMIT :limit")
        .bind("after", afterId)
        .bind("limit", limit)
        .map((rs, ctx) -> new StoredToken(rs.getString(1), rs.getBytes(2)))
        .list();
  }

  /**
   * Replaces the token of {@code id} with {@code replacement} if it still is {@code expected}.
   *
   * @return false when another writer changed it first (a rebind, or another server's migration)
   */
  public boolean replace(Handle handle, String id, byte[] expected, byte[] replacement) {
    return handle
            .createUpdate(
                "UPDATE executions SET callback_token = :replacement"
                    + " WHERE id = :id AND callback_token = :expected")
            .bindByType("replacement", replacement, byte[].class)
            .bindByType("expected", expected, byte[].class)
            .bind("id", id)
            .execute()
        == 1;
  }
}
