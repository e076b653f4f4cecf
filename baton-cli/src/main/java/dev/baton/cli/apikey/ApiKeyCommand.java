package dev.baton.cli.apikey;

import picocli.CommandLine.Command;

/** {@code baton api-key}: groups the API key subcommands. */
@Command(
    name = "api-key",
    description = "Creates API keys for a server started with --auth api-key.",
    subcommands = ApiKeyCreateCommand.class)
public final class ApiKeyCommand {}
