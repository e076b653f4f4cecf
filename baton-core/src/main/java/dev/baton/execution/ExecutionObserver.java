package dev.baton.execution;

/** Told when an execution reaches its terminal phase, e.g. to count it. */
public interface ExecutionObserver {
  ExecutionObserver NONE = execution -> {};

  void finished(Execution execution);
}
