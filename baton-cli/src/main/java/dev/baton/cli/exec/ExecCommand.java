package dev.baton.cli.exec;

import dev.baton.cli.Subcommands;
import picocli.CommandLine.Command;

/**
 * {@code baton exec}: groups the commands about agent executions. Its subcommands are listed in
 * {@link #subcommands()}, not in the annotation, so that a command line builds only the one it
 * runs.
 */
@Command(
    name = "exec",
    description =
        "Create, inspect, list, cancel and watch agent executions; describe them in Temporal and"
            + " complete stuck callers by hand.",
    synopsisSubcommandLabel = "COMMAND")
public final class ExecCommand {

  /** The subcommands of {@code baton exec}, in the order help lists them. */
  public static Subcommands subcommands() {
    return new Subcommands()
        .add("create", ExecCreateCommand::new)
        .add("get", ExecGetCommand::new)
        .add("list", ExecListCommand::new)
        .add("cancel", ExecCancelCommand::new)
        .add("watch", ExecWatchCommand::new)
        .add("describe", ExecDescribeCommand::new)
        .add("complete-caller", ExecCompleteCallerCommand::new);
  }
}
