package io.vidctx.encoder.models;

import java.nio.file.Path;
import java.util.Map;

/** Where pulled models live by default: {@code $XDG_CACHE_HOME/vidctx/models}, else {@code ~/.cache/vidctx/models}. */
public final class ModelCache {
  private ModelCache() {}

  /** The default models folder for the current process's environment. */
  public static Path defaultDir() {
    return defaultDir(System.getenv(), System.getProperty("user.home"));
  }

  /** The default models folder given an environment and a home folder (testable without touching either). */
  public static Path defaultDir(final Map<String, String> env, final String userHome) {
    final String xdg = env.get("XDG_CACHE_HOME");
    // The XDG spec says a relative value is invalid and must be ignored.
    final Path cache = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
        ? Path.of(xdg)
        : Path.of(userHome, ".cache");
    return cache.resolve("vidctx").resolve("models");
  }
}
