package io.vidctx.samples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version of {@code vidctx}: the jar manifest's {@code Implementation-Version}, else the
 * {@code version.properties} resource the build fills in.
 */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "vidctx " + version(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
          + System.getProperty("os.name") + " " + System.getProperty("os.arch")
    };
  }

  /** The project version, e.g. "0.1.0-SNAPSHOT". */
  public static String version() {
    final String fromManifest = VersionProvider.class.getPackage().getImplementationVersion();
    if (fromManifest != null && !fromManifest.isBlank()) {
      return fromManifest;
    }
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      final Properties props = new Properties();
      props.load(in);
      return props.getProperty("version", "unknown");
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
