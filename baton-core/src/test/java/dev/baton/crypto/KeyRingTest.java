package dev.baton.crypto;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A key file that cannot be read is reported as what is wrong with it and the flag to fix. */
class KeyRingTest {
  @TempDir Path dir;

  @Test
  void aMissingKeyFileSaysSoAndNamesItsFlag() {
    Path missing = dir.resolve("keys");

    assertThatThrownBy(() -> KeyRing.read(missing, "token key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token key file " + missing + " does not exist (--token-key-file)");
  }

  @Test
  void aDirectoryIsNotAKeyFile() {
    assertThatThrownBy(() -> KeyRing.read(dir, "payload key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("payload key file " + dir + " could not be read: ")
        .hasMessageEndingWith("(--payload-key-file)");
  }
}
