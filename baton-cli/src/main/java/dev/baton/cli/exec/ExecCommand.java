package dev.baton.cli.exec;

import picocli.CommandLine.Command;

/** {@code baton exec}: groups the commands about agent executions. */
@Command(
    name = "exec",
    description = "Create, inspect, list, cancel and watch agent executions.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      ExecCreateCommand.class,
      ExecGetCommand.class,
      ExecListCommand.class,
      ExecCancelCommand.class,
      ExecWatchCommand.class
    })
public final class ExecCommand {}
