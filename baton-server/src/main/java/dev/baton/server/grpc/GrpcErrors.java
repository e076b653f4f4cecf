package dev.baton.server.grpc;

import dev.baton.execution.AgentNotFoundException;
import dev.baton.execution.ExecutionNotFoundException;
import dev.baton.execution.ExecutionStateException;
import dev.baton.execution.ExecutionUnavailableException;
import dev.baton.execution.IdempotencyConflictException;
import dev.baton.execution.InvalidRequestException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps domain exceptions to gRPC statuses, in one place for every service. */
final class GrpcErrors {
  private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

  /**
   * Longest description sent. It travels percent-encoded in the grpc-message trailer, and a client
   * refuses trailers over 8 KiB (INTERNAL "http2 exception"): a message that quotes a huge or
   * non-ASCII request field must be cut, or the client never learns what was wrong.
   */
  static final int MAX_DESCRIPTION = 400;

  private GrpcErrors() {}

  /** Runs a unary call, answering with its result or the status its exception maps to. */
  static <T> void unary(StreamObserver<T> observer, Supplier<T> call) {
    T result;
    try {
      result = call.get();
    } catch (RuntimeException e) {
      observer.onError(toStatus(e));
      return;
    }
    observer.onNext(result);
    observer.onCompleted();
  }

  static StatusRuntimeException toStatus(Throwable e) {
    if (e instanceof StatusRuntimeException status) {
      return status;
    }
    if (e instanceof InvalidRequestException || e instanceof IllegalArgumentException) {
      return Status.INVALID_ARGUMENT.withDescription(bounded(e.getMessage())).asRuntimeException();
    }
    if (e instanceof AgentNotFoundException || e instanceof ExecutionNotFoundException) {
      return Status.NOT_FOUND.withDescription(bounded(e.getMessage())).asRuntimeException();
    }
    if (e instanceof IdempotencyConflictException) {
      return Status.ALREADY_EXISTS.withDescription(bounded(e.getMessage())).asRuntimeException();
    }
    if (e instanceof ExecutionStateException) {
      return Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
    }
    if (e instanceof ExecutionUnavailableException) {
      return Status.UNAVAILABLE.withDescription(bounded(e.getMessage())).asRuntimeException();
    }
    SQLException unreachable = storeUnreachable(e);
    if (unreachable != null) {
      // The database is down or saturated: a retry may pass, and the stack says nothing new.
      log.warn("store unreachable while serving a request: {}", unreachable.toString());
      return Status.UNAVAILABLE
          .withDescription(bounded("the store is unreachable: " + unreachable.getMessage()))
          .asRuntimeException();
    }
    log.error("unexpected error serving a request", e);
    return Status.INTERNAL
        .withDescription("internal error: " + e.getClass().getSimpleName() + "; see server log")
        .asRuntimeException();
  }

  /**
   * The error of the database connection in {@code e}'s causes, if it failed for want of one: none
   * within the pool's timeout ({@link SQLTransientConnectionException}), or the server refusing or
   * dropping it (SQLSTATE class 08, connection exception).
   */
  static SQLException storeUnreachable(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLTransientConnectionException
          || cause instanceof SQLNonTransientConnectionException
          || (cause instanceof SQLException sql
              && sql.getSQLState() != null
              && sql.getSQLState().startsWith("08"))) {
        return (SQLException) cause;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return null;
  }

  /** The message, cut to {@link #MAX_DESCRIPTION} characters (not inside a surrogate pair). */
  static String bounded(String message) {
    if (message == null || message.length() <= MAX_DESCRIPTION) {
      return message;
    }
    int end = MAX_DESCRIPTION;
    if (Character.isHighSurrogate(message.charAt(end - 1))) {
      end--;
    }
    return message.substring(0, end) + "... (" + message.length() + " characters, cut)";
  }
}
