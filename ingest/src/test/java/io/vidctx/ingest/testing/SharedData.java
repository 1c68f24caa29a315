package io.vidctx.ingest.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the project's shared, read-only test data (real footage, photos, models). One setting: the
 * {@code VIDCTX_SHARED} environment variable, else the {@code vidctx.shared} system property (the
 * build sets it to {@code ../shared} next to the checkout), else {@code ../shared}. A missing folder
 * fails the test loudly: tests never skip for lack of data.
 */
public final class SharedData {
  private SharedData() {}

  public static Path root() {
    final String env = System.getenv("VIDCTX_SHARED");
    final String prop = System.getProperty("vidctx.shared");
    final Path root = Path.of(env != null && !env.isBlank() ? env : prop != null && !prop.isBlank() ? prop : "../shared")
        .toAbsolutePath()
        .normalize();
    if (!Files.isDirectory(root.resolve("videos"))) {
      throw new IllegalStateException(
          "shared test data not found at " + root + " (no videos/ folder): set VIDCTX_SHARED or -Dvidctx.shared");
    }
    return root;
  }

  public static Path video(final String name) {
    return existing(root().resolve("videos").resolve(name));
  }

  public static Path image(final String name) {
    return existing(root().resolve("images").resolve(name));
  }

  public static Path model(final String relative) {
    return existing(root().resolve("models").resolve(relative));
  }

  /** The rows of {@code videos/VIDEOS.tsv}, header excluded. */
  public static List<VideoRow> videos() {
    try {
      final List<String> lines = Files.readAllLines(root().resolve("videos/VIDEOS.tsv"), StandardCharsets.UTF_8);
      final List<VideoRow> rows = new ArrayList<>();
      for (final String line : lines.subList(1, lines.size())) {
        if (line.isBlank()) {
          continue;
        }
        final String[] f = line.split("\t", -1);
        rows.add(new VideoRow(f[0], f[1], f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4]),
            Double.parseDouble(f[5]), Long.parseLong(f[6]), Double.parseDouble(f[7]), f[10]));
      }
      return rows;
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A folder for this test's output inside the build directory (never the home folder). */
  public static Path work(final String name) {
    final String base = System.getProperty("vidctx.test.work", "target/test-work");
    try {
      return Files.createDirectories(Path.of(base).resolve(name));
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path existing(final Path p) {
    if (!Files.exists(p)) {
      throw new IllegalStateException("shared test file missing: " + p);
    }
    return p;
  }

  /** One row of VIDEOS.tsv. {@code hardCuts} is the raw column ("none" or comma-separated seconds). */
  public record VideoRow(
      String file, String container, String codec, int width, int height, double fps, long frames,
      double durationSeconds, String hardCuts) {

    public Path path() {
      return video(file);
    }

    /** Hard-cut times in seconds (empty when none); annotations in brackets are dropped. */
    public List<Double> hardCutSeconds() {
      final List<Double> cuts = new ArrayList<>();
      for (final String part : hardCuts.split(",")) {
        final String t = part.trim().split("[ (]")[0];
        if (!t.isEmpty() && Character.isDigit(t.charAt(0))) {
          cuts.add(Double.parseDouble(t));
        }
      }
      return cuts;
    }
  }
}
