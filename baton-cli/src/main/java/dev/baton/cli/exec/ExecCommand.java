package dev.baton.cli.exec;

import picocli.CommandLine.Command;

/** {@code baton exec}: groups the commands about agent executions. */
@Command(
    name = "exec",
    description =
        "Create, inspect, list, cancel and watch agent executions; describe them in Temporal and"
            + " complete stuck callers by hand.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      ExecCreateCommand.class,
      ExecGetCommand.class,
      ExecListCommand.class,
      ExecCancelCommand.class,
      ExecWatchCommand.class,
      ExecDescribeCommand.class,
      ExecCompleteCallerCommand.class
    })
public final class ExecCommand {}
