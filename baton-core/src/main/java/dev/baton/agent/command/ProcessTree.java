package dev.baton.agent.command;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started agent process and everything it started. Stopping it sends SIGTERM to every member,
 * gives them a grace period to exit, then sends SIGKILL to whatever is left.
 *
 * <p>Members are found three ways, so that no process outlives the run: the root's current
 * descendants; descendants seen at earlier {@link #remember() polls} (a grandchild whose parent
 * exited is re-parented and no longer a descendant); and, when the root leads its own session,
 * every process of that session (which also catches descendants that were never seen).
 */
final class ProcessTree {
  private static final Logger log = LoggerFactory.getLogger(ProcessTree.class);
  private static final Duration POLL = Duration.ofMillis(20);
  private static final int KILL_ROUNDS = 5;

  private final long rootPid;

  /** Null for the tree of an orphaned session whose leader has exited. */
  private final ProcessHandle root;

  private final boolean ownSession;
  private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();

  ProcessTree(ProcessHandle root, boolean ownSession) {
    this.rootPid = root.pid();
    this.root = root;
    this.ownSession = ownSession;
  }

  /**
   * The tree of an agent another server process started ({@link SessionLedger}): its root may have
   * exited while its session lives on.
   */
  ProcessTree(long rootPid, boolean ownSession) {
    this.rootPid = rootPid;
    this.root = ProcessHandle.of(rootPid).orElse(null);
    this.ownSession = ownSession;
  }

  /** The process the run started (the session leader when it has its own session). */
  ProcessHandle root() {
    return root;
  }

  /**
   * Notes the root's current descendants, so that they are stopped even once re-parented. Only
   * needed without a session: a session finds them by itself.
   */
  void remember() {
    if (!ownSession && root != null && root.isAlive()) {
      root.descendants().forEach(seen::add);
    }
  }

  /** Whether any member is still running. */
  boolean anyAlive() {
    return !members().isEmpty();
  }

  /**
   * Stops every member: SIGTERM, up to {@code grace} for them to exit, then SIGKILL, repeated for
   * processes started meanwhile. Returns once all are gone, or after a bounded number of rounds.
   * Does not respond to interrupts: a half-stopped tree is worse than a short delay.
   */
  void kill(Duration grace) {
    List<ProcessHandle> members = members();
    if (members.isEmpty()) {
      return;
    }
    log.debug("Stopping process tree of {}: {}", rootPid, pids(members));
    members.forEach(ProcessHandle::destroy);
    if (awaitGone(grace)) {
      return;
    }
    for (int round = 0; round < KILL_ROUNDS; round++) {
      List<ProcessHandle> left = members();
      if (left.isEmpty()) {
        return;
      }
      log.debug("Killing what ignored SIGTERM in tree of {}: {}", rootPid, pids(left));
      left.forEach(ProcessHandle::destroyForcibly);
      if (awaitGone(Duration.ofSeconds(1))) {
        return;
      }
    }
    log.warn("Processes of agent tree {} survived SIGKILL: {}", rootPid, pids(members()));
  }

  private boolean awaitGone(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (members().isEmpty()) {
        return true;
      }
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }

  /** The live members, root first. */
  private List<ProcessHandle> members() {
    Set<ProcessHandle> all = new LinkedHashSet<>();
    if (root != null) {
      all.add(root);
      if (root.isAlive()) {
        root.descendants().forEach(all::add);
      }
    }
    all.addAll(seen);
    if (ownSession) {
      // The root's pid is the session id as long as any member lives, so it cannot be reused.
      all.addAll(Sessions.members(rootPid));
    }
    return all.stream().filter(p -> !Sessions.isGone(p)).toList();
  }

  private static List<Long> pids(List<ProcessHandle> processes) {
    return processes.stream().map(ProcessHandle::pid).toList();
  }
}
