package dev.baton.bench;

/**
 * One row of the results table.
 *
 * @param endToEnd client-side: workflow start to result, per call
 * @param handshake caller activity duration (as the workflow saw it) minus the agent's run time
 * @param agent the agent's own run time
 * @param throughput completed calls per second of wall time
 * @param heapMb JVM heap in use when the scenario ended (no GC forced)
 * @param rssMb the process's resident set size when the scenario ended
 */
public record Measurement(
    String scenario,
    CallMode mode,
    Stats endToEnd,
    Stats handshake,
    Stats agent,
    long wallMillis,
    double throughput,
    double heapMb,
    double rssMb,
    String note) {}
