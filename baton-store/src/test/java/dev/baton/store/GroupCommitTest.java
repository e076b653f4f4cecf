package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.HandleCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * SQLite transactions that wait together are committed together ({@link GroupCommit}) and each
 * still behaves as a transaction of its own. A batch is formed by holding the running transaction
 * until the others are queued behind it.
 */
final class GroupCommitTest {
  @TempDir Path directory;

  private Database database;
  private final List<Thread> threads = new ArrayList<>();

  @BeforeEach
  void openDatabase() {
    database = Database.open("jdbc:sqlite:" + directory.resolve("baton.db"));
    database.inTransaction(
        handle -> {
          handle.execute("CREATE TABLE notes (name TEXT PRIMARY KEY, writer TEXT NOT NULL)");
          handle.execute("CREATE TABLE parents (id INTEGER PRIMARY KEY)");
          handle.execute(
              "CREATE TABLE children (id INTEGER PRIMARY KEY, parent INTEGER NOT NULL"
                  + " REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED)");
          return null;
        });
  }

  @AfterEach
  void closeDatabase() throws InterruptedException {
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    }
    database.close();
  }

  @Test
  void aBatchThatHoldsTheWriterPastTheSlowLimitIsLogged() {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(GroupCommit.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try {
      database.inTransaction(
          handle -> {
            pause(GroupCommit.SLOW_BATCH.plusMillis(50));
            return handle.execute("INSERT INTO notes (name, writer) VALUES ('slow', 'b')");
          });

      assertThat(logs.list)
          .anySatisfy(
              event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage())
                    .startsWith(
                        "SQLite writes stalled: a batch of 1 transaction(s) held the writer")
                    .containsPattern(
                        "ms getting the connection, \\d{3,} ms running, \\d+ ms committing");
              });
    } finally {
      logger.detachAppender(logs);
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aFailingTransactionInABatchIsRolledBackAloneAndTheOthersCommit() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Future<String> holder = start("holder", held(release, note("held")));
    Future<String> first = queuedBehind(holder, "first", note("first"));
    Future<String> failing =
        queuedBehind(
            holder,
            "failing",
            handle -> {
              note("failing").withHandle(handle);
              throw new IllegalStateException("the agent is unknown");
            });
    Future<String> last = queuedBehind(holder, "last", note("last"));

    release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
    assertThat(last.get(10, TimeUnit.SECONDS)).isEqualTo("last");
    assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the agent is unknown");
    assertThat(writers())
        .containsExactly(
            "first written by first", "held written by holder", "last written by first");
  }

  @Test
  void aFailedCommitFailsEveryTransactionOfTheBatchAndWritesNone() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Future<String> holder = start("holder", held(release, note("held")));
    Future<String> innocent = queuedBehind(holder, "innocent", note("innocent"));
    Future<String> orphan =
        queuedBehind(
            holder,
            "orphan",
            handle -> {
              // The deferred foreign key is only checked when the batch commits.
              handle.execute("INSERT INTO children (id, parent) VALUES (1, 42)");
              return "orphan";
            });

    release.countDown();

    assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("held");
    for (Future<String> inBatch : List.of(innocent, orphan)) {
      assertThatThrownBy(() -> inBatch.get(10, TimeUnit.SECONDS))
          .rootCause()
          .hasMessageContaining("FOREIGN KEY constraint failed");
    }
    assertThat(writers()).containsExactly("held written by holder");
    assertThat(count("children")).isZero();
  }

  @Test
  void aTransactionSeesTheChangesOfThoseBeforeItInItsBatch() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Future<String> holder = start("holder", held(release, note("held")));
    Future<String> writer = queuedBehind(holder, "writer", note("draft"));
    Future<String> reader =
        queuedBehind(
            holder,
            "reader",
            handle ->
                handle
                    .createQuery("SELECT writer FROM notes WHERE name = 'draft'")
                    .mapTo(String.class)
                    .one());

    release.countDown();

    assertThat(writer.get(10, TimeUnit.SECONDS)).isEqualTo("draft");
    assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo("writer");
  }

  @Test
  void anInterruptedWaiterStillGetsItsCommittedResultAndKeepsTheInterrupt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Future<String> holder = start("holder", held(release, note("held")));
    AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
    Future<String> waiter =
        queuedBehind(
            holder,
            "waiter",
            () -> {
              String result = database.inTransaction(note("waited"));
              interruptedAfter.set(Thread.currentThread().isInterrupted());
              return result;
            });

    thread("waiter").interrupt();
    release.countDown();

    assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("waited");
    assertThat(interruptedAfter.get()).isTrue();
    assertThat(writers()).contains("waited written by waiter");
  }

  @Test
  void concurrentReadModifyWriteTransactionsLoseNoUpdate() throws Exception {
    database.inTransaction(handle -> handle.execute("CREATE TABLE counter (n INTEGER)"));
    database.inTransaction(handle -> handle.execute("INSERT INTO counter (n) VALUES (0)"));
    int workers = 8;
    int each = 200;
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        running.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    database.inTransaction(
                        handle -> {
                          int n =
                              handle
                                  .createQuery("SELECT n FROM counter")
                                  .mapTo(Integer.class)
                                  .one();
                          return handle.execute("UPDATE counter SET n = ?", n + 1);
                        });
                  }
                  return null;
                }));
      }
      for (Future<?> done : running) {
        done.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    int counted =
        database
            .jdbi()
            .withHandle(h -> h.createQuery("SELECT n FROM counter").mapTo(Integer.class).one());
    assertThat(counted).isEqualTo(workers * each);
  }

  /** Inserts a note named {@code name} by the thread that runs the callback. */
  private static HandleCallback<String, RuntimeException> note(String name) {
    return handle -> {
      handle.execute(
          "INSERT INTO notes (name, writer) VALUES (?, ?)", name, Thread.currentThread().getName());
      return name;
    };
  }

  /** {@code callback}, after waiting for {@code release}: holds the transaction it runs in. */
  private static HandleCallback<String, RuntimeException> held(
      CountDownLatch release, HandleCallback<String, RuntimeException> callback) {
    return handle -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return callback.withHandle(handle);
    };
  }

  /** Starts the held transaction and returns once it waits for its release. */
  private Future<String> start(String name, HandleCallback<String, RuntimeException> callback) {
    Future<String> result = run(name, () -> database.inTransaction(callback));
    Thread thread = thread(name);
    await().atMost(Duration.ofSeconds(10)).until(() -> thread.getState() == Thread.State.WAITING);
    return result;
  }

  /** Starts {@code callback} in a thread of its own and returns once it waits behind the holder. */
  private Future<String> queuedBehind(
      Future<String> holder, String name, HandleCallback<String, RuntimeException> callback) {
    return queuedBehind(holder, name, () -> database.inTransaction(callback));
  }

  private Future<String> queuedBehind(Future<String> holder, String name, Callable<String> call) {
    assertThat(holder).isNotDone();
    Future<String> result = run(name, call);
    Thread thread = thread(name);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> thread.getState() == Thread.State.WAITING || result.isDone());
    assertThat(result).as(name + " waits behind the held transaction").isNotDone();
    return result;
  }

  private Future<String> run(String name, Callable<String> call) {
    FutureTask<String> task = new FutureTask<>(call);
    Thread thread = new Thread(task, name);
    threads.add(thread);
    thread.start();
    return task;
  }

  private Thread thread(String name) {
    return threads.stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
  }

  private List<String> writers() {
    return database
        .jdbi()
        .withHandle(
            handle ->
                handle
                    .createQuery("SELECT name || ' written by ' || writer FROM notes ORDER BY name")
                    .mapTo(String.class)
                    .list());
  }

  private int count(String table) {
    return database
        .jdbi()
        .withHandle(
            handle ->
                handle.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Integer.class).one());
  }
}
