package io.vidctx.samples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The project's shared data folder (real clips in {@code videos/}): {@code --shared DIR}, else the
 * {@code VIDCTX_SHARED} environment variable, else {@code ../shared}.
 */
final class SharedFolder {
  private static final List<String> VIDEO_EXTENSIONS =
      List.of(".mp4", ".mkv", ".webm", ".mov", ".avi", ".mpg", ".mpeg", ".ogv", ".ogg", ".ts", ".m4v", ".flv");

  private SharedFolder() {}

  static Path root(final @Nullable Path given) {
    if (given != null) {
      return given;
    }
    final String env = System.getenv("VIDCTX_SHARED");
    return Path.of(env != null && !env.isBlank() ? env : "../shared");
  }

  /** The clips of {@code <root>/videos}: those listed in VIDEOS.tsv, else every video file there. */
  static List<Path> clips(final Path root) {
    final Path videos = root.resolve("videos");
    if (!Files.isDirectory(videos)) {
      throw CliException.invalidInput("no clips given and no shared videos folder at " + videos.toAbsolutePath().normalize()
          + ": pass clip paths, --shared DIR or set VIDCTX_SHARED");
    }
    try {
      final List<Path> clips = new ArrayList<>();
      final Path tsv = videos.resolve("VIDEOS.tsv");
      if (Files.isRegularFile(tsv)) {
        final List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
        for (final String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
          final String file = line.split("\t", -1)[0].strip();
          if (!file.isEmpty() && Files.isRegularFile(videos.resolve(file))) {
            clips.add(videos.resolve(file));
          }
        }
      } else {
        try (Stream<Path> list = Files.list(videos)) {
          list.filter(p -> VIDEO_EXTENSIONS.stream()
                  .anyMatch(ext -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ext)))
              .sorted()
              .forEach(clips::add);
        }
      }
      if (clips.isEmpty()) {
        throw CliException.invalidInput("no video files in " + videos);
      }
      return clips;
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot list " + videos, e);
    }
  }
}
