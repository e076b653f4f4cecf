package dev.baton.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Heap, resident memory and CPU time of this JVM, and facts about the machine it runs on. */
final class ProcessFacts {
  private ProcessFacts() {}

  /** CPU time this JVM has used so far, all threads, in nanoseconds. */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static long heapUsedBytes() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Heap in use after GC hints (System.gc() is a hint; repeated to settle). */
  static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return heapUsedBytes();
  }

  static double mb(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  static double heapMb() {
    return mb(heapUsedBytes());
  }

  /** VmRSS from /proc/self/status, in MiB; 0 where there is no /proc. */
  static double rssMb() {
    return procField(Path.of("/proc/self/status"), "VmRSS:")
        .map(kb -> Long.parseLong(kb.replace("kB", "").trim()) / 1024.0)
        .orElse(0.0);
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  static String totalMemory() {
    return procField(Path.of("/proc/meminfo"), "MemTotal:")
        .map(
            kb ->
                String.format("%.1f GiB", Long.parseLong(kb.replace("kB", "").trim()) / 1048576.0))
        .orElse("unknown");
  }

  static String cpuModel() {
    return procField(Path.of("/proc/cpuinfo"), "model name")
        .map(v -> v.replace(":", "").trim())
        .orElse("unknown");
  }

  private static Optional<String> procField(Path file, String prefix) {
    try {
      return Files.readAllLines(file).stream()
          .filter(line -> line.startsWith(prefix))
          .findFirst()
          .map(line -> line.substring(prefix.length()).trim());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
