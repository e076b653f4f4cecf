package dev.baton.cli.apikey;

import dev.baton.cli.ExitCodes;
import dev.baton.server.auth.ApiKey;
import dev.baton.server.auth.ApiKeyScope;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code baton api-key create NAME --scope S}: prints a new random key once, and the line (with
 * only its hash) for the server's keys file. Talks to no server.
 */
@Command(
    name = "create",
    description = {
      "Prints a new random API key once, and the name:scope:sha256hex line for the server's"
          + " --api-keys-file or BATON_API_KEYS. The key itself is stored nowhere."
    })
public final class ApiKeyCreateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "Who the key is for, e.g. ci.")
  String name;

  @Option(
      names = "--scope",
      required = true,
      paramLabel = "SCOPE",
      description = "read (Get/List/Watch/Summarize, agents), write (+ Create, Cancel) or admin.")
  String scope;

  @Override
  public Integer call() {
    ApiKey entry;
    String key = ApiKey.generateKey();
    try {
      entry = new ApiKey(name, ApiKeyScope.parse(scope), ApiKey.sha256Hex(key));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("API key (shown only now; clients send it as BATON_API_KEY):");
    out.println(key);
    out.println("Line for the server's --api-keys-file (or BATON_API_KEYS):");
    out.println(entry.entry());
    out.flush();
    return ExitCodes.OK;
  }
}
