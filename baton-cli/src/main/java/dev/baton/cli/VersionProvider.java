package dev.baton.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Reads the version from the Maven descriptor packaged in the baton-cli jar. */
final class VersionProvider implements IVersionProvider {

  private static final String POM_PROPERTIES = "/META-INF/maven/dev.baton/baton-cli/pom.properties";

  @Override
  public String[] getVersion() {
    return new String[] {"baton " + version()};
  }

  static String version() {
    try (InputStream in = VersionProvider.class.getResourceAsStream(POM_PROPERTIES)) {
      if (in == null) {
        return "(development build)";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "(unknown version)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + POM_PROPERTIES, e);
    }
  }
}
