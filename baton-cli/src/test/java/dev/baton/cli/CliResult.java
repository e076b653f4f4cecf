package dev.baton.cli;

/** What one in-process run of {@code baton} left behind. */
public record CliResult(int exitCode, String out, String err) {}
