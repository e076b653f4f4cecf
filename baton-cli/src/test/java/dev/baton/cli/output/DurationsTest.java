package dev.baton.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "250ms, PT0.25S",
    "30s, PT30S",
    "1.5s, PT1.5S",
    "5m, PT5M",
    "1h30m, PT1H30M",
    "2d, PT48H",
    "1H, PT1H",
    "PT5M, PT5M",
    "pt10s, PT10S"
  })
  void parsesShortAndIsoForms(String text, String expected) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "30", "5 m", "m5", "1x", "P"})
  void rejectsTextThatIsNotADuration(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected a duration such as 30s, 5m, 1h30m or PT5M");
  }

  @ParameterizedTest
  @CsvSource({
    "PT0S, 0s",
    "PT0.25S, 250ms",
    "PT1.5S, 1.5s",
    "PT30S, 30s",
    "PT5M, 5m",
    "PT1M30.5S, 1m30s",
    "PT1H30M, 1h30m",
    "PT36H, 36h",
    "PT1H0M5S, 1h5s"
  })
  void formatsTheShortWay(String iso, String expected) {
    assertThat(Durations.format(Duration.parse(iso))).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"250ms", "1.5s", "5m", "1h30m", "36h"})
  void readsWhatItWrites(String text) {
    assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
  }
}
