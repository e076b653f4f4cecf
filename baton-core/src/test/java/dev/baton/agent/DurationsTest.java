package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "500ms, PT0.5S",
    "30s, PT30S",
    "5m, PT5M",
    "2h, PT2H",
    "1d, PT24H",
    "1h30m, PT1H30M",
    "PT5M, PT5M",
    "pt90s, PT1M30S",
    "1.5h, PT1H30M",
    "0.25s, PT0.25S",
    "1H, PT1H"
  })
  void parsesShortAndIsoForms(String text, String iso) {
    assertThat(Durations.parse(text)).contains(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "5x", "5", "m5", "5 m", ".5h", "1.h", "P", "PT", "99999999999999999999s"})
  void rejectsOtherText(String text) {
    assertThat(Durations.parse(text)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"PT0.25S, 250ms", "PT45S, 45s", "PT1H30M, 1h30m", "PT26H, 1d2h", "PT0S, 0s"})
  void formatsAsPeopleTypeThem(String iso, String text) {
    assertThat(Durations.format(Duration.parse(iso))).isEqualTo(text);
  }
}
