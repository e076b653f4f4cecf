package dev.baton.cli.agent;

import picocli.CommandLine.Command;

/** {@code baton agent}: groups the commands about agents. */
@Command(
    name = "agent",
    description = "Show the agents the server can run.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {AgentListCommand.class, AgentGetCommand.class})
public final class AgentCommand {}
