package io.vidctx.ingest.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Loader;

/**
 * The ffmpeg command that ships inside JavaCV's FFmpeg jar, for tests that compare with it. Its own
 * RUNPATH finds its direct libraries, but libavfilter and friends carry none, so their own needs
 * (libva, libdrm: bundled beside them) are found only through LD_LIBRARY_PATH or the system's
 * libraries. The process gets the bundle's folder first on LD_LIBRARY_PATH, so no system package is
 * needed.
 */
public final class BundledFfmpeg {
  private BundledFfmpeg() {}

  /** The extracted binary's path. */
  public static String path() {
    return Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
  }

  /** A process builder for the bundled ffmpeg with {@code args}, its libraries on the search path. */
  public static ProcessBuilder command(final List<String> args) {
    final String ffmpeg = path();
    final List<String> cmd = new ArrayList<>();
    cmd.add(ffmpeg);
    cmd.addAll(args);
    final ProcessBuilder pb = new ProcessBuilder(cmd);
    final String dir = String.valueOf(Path.of(ffmpeg).getParent());
    final String old = System.getenv("LD_LIBRARY_PATH");
    pb.environment().put("LD_LIBRARY_PATH", old == null || old.isBlank() ? dir : dir + ":" + old);
    return pb;
  }

  /** {@link #command(List)} started. */
  public static Process start(final List<String> args) throws IOException {
    return command(args).start();
  }
}
