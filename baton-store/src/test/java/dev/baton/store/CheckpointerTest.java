package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteDataSource;

final class CheckpointerTest {
  @TempDir Path directory;

  private final ch.qos.logback.classic.Logger logger =
      (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Checkpointer.class);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  private Level levelBefore;

  @BeforeEach
  void captureLogs() {
    levelBefore = logger.getLevel();
    logger.setLevel(Level.INFO);
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    logger.detachAppender(logs);
    logger.setLevel(levelBefore);
  }

  @Test
  void aFailingCheckpointIsLoggedOnceAndSoIsItsRecovery() {
    AtomicBoolean diskFails = new AtomicBoolean();
    Checkpointer checkpointer = Checkpointer.start(failingWhen(diskFails));
    try {
      diskFails.set(true);
      await().atMost(Duration.ofSeconds(5)).until(() -> !messages(Level.WARN).isEmpty());
      // Several more checkpoints fail meanwhile (one every 200 ms) without another line.
      await()
          .during(Checkpointer.EVERY.multipliedBy(5))
          .atMost(Checkpointer.EVERY.multipliedBy(10))
          .until(() -> messages(Level.WARN).size() == 1);

      assertThat(messages(Level.WARN))
          .singleElement()
          .asString()
          .startsWith("SQLite checkpoint failed, the write-ahead log grows until one succeeds")
          .contains("disk I/O error");

      diskFails.set(false);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(messages(Level.INFO))
                      .containsExactly("SQLite checkpoints succeed again"));
    } finally {
      checkpointer.close();
    }
  }

  /** A SQLite file whose statements fail while {@code fails} is set, as on a failing disk. */
  private DataSource failingWhen(AtomicBoolean fails) {
    SQLiteDataSource sqlite = new SQLiteDataSource();
    sqlite.setUrl("jdbc:sqlite:" + directory.resolve("baton.db"));
    return proxy(
        DataSource.class,
        (self, method, args) -> {
          Object result = invoke(method, sqlite, args);
          if (!method.getName().equals("getConnection")) {
            return result;
          }
          Connection connection = (Connection) result;
          return proxy(
              Connection.class,
              (c, m, a) -> {
                if (m.getName().equals("createStatement") && fails.get()) {
                  throw new SQLException("disk I/O error");
                }
                return invoke(m, connection, a);
              });
        });
  }

  private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, java.lang.reflect.InvocationHandler handler) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
  }

  private List<String> messages(Level level) {
    return logs.list.stream()
        .filter(event -> event.getLevel() == level)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }
}
