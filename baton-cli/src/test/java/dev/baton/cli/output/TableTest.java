package dev.baton.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void alignsColumnsWithoutTrailingSpaces() {
    StringWriter out = new StringWriter();

    Table.withHeaders("NAME", "X", "NOTE")
        .row("a-long-name", "1", "")
        .row("b", "22", "last column is not padded")
        .print(new PrintWriter(out, true));

    assertThat(out.toString().replace(System.lineSeparator(), "\n"))
        .isEqualTo(
            "NAME         X   NOTE\n"
                + "a-long-name  1\n"
                + "b            22  last column is not padded\n");
  }
}
