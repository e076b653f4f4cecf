package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {
  @TempDir Path dir;

  @Test
  void prefersBatonSecretVariablesThenPlainNamesThenTheFile() throws IOException {
    Path file = dir.resolve("secrets");
    Files.writeString(file, "# comment\nC=from-file=with-equals\nA=shadowed\n");
    Secrets secrets =
        new Secrets(Map.of("BATON_SECRET_A", "prefixed", "A", "plain", "B", "plain-b"), file);

    String resolved = secrets.resolve("${secret:A}/${secret:B}/${secret:C} $HOME ${other}");

    assertThat(resolved).isEqualTo("prefixed/plain-b/from-file=with-equals $HOME ${other}");
  }

  @Test
  void aMissingSecretSaysWhereItWasLookedForWithoutValues() {
    Secrets secrets = new Secrets(Map.of("OTHER", "hunter2"), null);

    assertThatThrownBy(() -> secrets.resolve("x ${secret:API_TOKEN}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "secret 'API_TOKEN' is not set; set BATON_SECRET_API_TOKEN or API_TOKEN in the"
                + " server's environment, or give the server a secrets file as API_TOKEN=value")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void refusesNamesOfBatonsOwnSettingsEvenWhenSet() {
    Secrets secrets =
        new Secrets(
            Map.of("BATON_TOKEN_KEYS", "k1:c2VjcmV0", "BATON_DATABASE_URL", "jdbc:x?password=p"),
            null);

    for (String reference :
        new String[] {"${secret:BATON_TOKEN_KEYS}", "x=${secret:baton_database_url}"}) {
      assertThatThrownBy(() -> secrets.resolve(reference))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("names one of Baton's own settings")
          .hasMessageContaining("must not start with BATON_")
          .hasMessageNotContaining("c2VjcmV0")
          .hasMessageNotContaining("password=p");
      assertThatThrownBy(() -> Secrets.checkReferences(reference))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void rejectsMalformedReferences() {
    assertThatThrownBy(() -> Secrets.checkReferences("${secret:a-b}"))
        .hasMessageContaining("'${secret:a-b}' is not a valid secret reference");
  }
}
