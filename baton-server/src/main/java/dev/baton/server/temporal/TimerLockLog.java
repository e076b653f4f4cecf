package dev.baton.server.temporal;

import io.temporal.internal.testservice.TestServicesStarter;
import java.lang.reflect.Field;
import java.util.LinkedList;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the test server's time-skipping lock log from growing for as long as the server runs.
 *
 * <p>Temporal's Java test server (SDK 1.38) appends every lock and unlock of its time-skipping
 * timer to a debugging-only {@code LinkedList} in {@code SelfAdvancingTimerImpl}. Locks taken and
 * released per request are never taken out again, about six entries per workflow, and each timeout
 * timer that fires (every workflow task and activity has one) removes its own entry by a linear
 * search from the oldest. The search runs under the timer's lock, which every request of the test
 * server also takes. Measured on two cores with one-activity workflows, 4,000 per round: the timer
 * threads used 5 s of CPU in the first round and 55 s in the ninth, by when throughput had fallen
 * from 113 to 32 workflows/s; it keeps falling as the server ages.
 *
 * <p>The log is only read by the test server's diagnostics, and it only checks that each handle is
 * unlocked once. This replaces it with a list that keeps nothing, so the embedded Temporal runs as
 * fast after a million workflows as after the first. Lock counting, which decides whether time may
 * skip, is untouched. If a later SDK changes these internals, the server runs with the log as it is
 * and says so.
 */
final class TimerLockLog {
  private static final Logger log = LoggerFactory.getLogger(TimerLockLog.class);

  private TimerLockLog() {}

  /** Swaps the log for one that keeps nothing; warns and leaves it if the internals differ. */
  static void stopRecording(TestServicesStarter services) {
    try {
      Object timer = field(services, "selfAdvancingTimer").get(services);
      Lock lock = (Lock) field(timer, "lock").get(timer);
      Field events = field(timer, "lockEvents");
      lock.lock();
      try {
        events.set(timer, new KeepNothing<>());
      } finally {
        lock.unlock();
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn(
          "cannot bound the embedded Temporal's timer lock log; it grows with every workflow and"
              + " slows the embedded server as it ages: {}",
          e.toString());
    }
  }

  private static Field field(Object owner, String name) throws ReflectiveOperationException {
    Field field = owner.getClass().getDeclaredField(name);
    field.setAccessible(true);
    return field;
  }

  /** Accepts every entry and keeps none; every removal succeeds. */
  static final class KeepNothing<E> extends LinkedList<E> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean add(E e) {
      return true;
    }

    @Override
    public boolean remove(Object o) {
      return true;
    }
  }
}
