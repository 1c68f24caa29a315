package io.vidctx.qa.eval.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes benchmark files into a test's temporary folder. */
final class BenchFixtures {
  private BenchFixtures() {}

  static Path write(final Path dir, final String rel, final String text) throws IOException {
    final Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  /** An empty stand-in for a video file, so the reader can see which folder holds it. */
  static void touch(final Path dir, final String rel) throws IOException {
    write(dir, rel, "");
  }

  /** Where a reader should say the video is. */
  static String abs(final Path dir, final String rel) {
    return dir.toAbsolutePath().normalize().resolve(rel).toString();
  }
}
