package io.vidctx.ingest.video;

import io.vidctx.ingest.IngestException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where a video comes from, resolved and checked before FFmpeg sees it, so that a typo gets a plain
 * "no such file" instead of an FFmpeg error code.
 *
 * @param kind what sort of input this is
 * @param input the string handed to FFmpeg (an absolute path, a URL, a device node)
 * @param format the FFmpeg demuxer to force, or null to let FFmpeg probe
 * @param display the location as the user wrote it, for messages
 */
record VideoLocation(Kind kind, String input, @Nullable String format, String display) {

  enum Kind {
    FILE,
    NETWORK,
    DEVICE
  }

  /** Schemes FFmpeg reads for us; anything else is refused before FFmpeg guesses. */
  static final Set<String> NETWORK_SCHEMES = Set.of("rtsp", "rtsps", "rtmp", "rtmps", "http", "https", "srt", "udp", "tcp");

  private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$");
  private static final Pattern V4L2_NODE = Pattern.compile("^/dev/video\\d+$");

  /**
   * Resolves and checks a location.
   *
   * @throws IngestException.SourceNotFoundException a file or device that does not exist or cannot be read
   * @throws IngestException.UnsupportedSourceException an unknown scheme, a folder, an empty file
   */
  static VideoLocation parse(final String location) {
    if (location == null || location.isBlank()) {
      throw new IngestException.UnsupportedSourceException(
          "no video given: pass a file path, a file: URI, an rtsp/rtmp/http(s) URL or a /dev/videoN camera");
    }
    final String trimmed = location.strip();
    final Matcher m = SCHEME.matcher(trimmed);
    if (m.matches()) {
      final String scheme = m.group(1).toLowerCase(Locale.ROOT);
      if (scheme.equals("file")) {
        return file(fileUriPath(trimmed), trimmed);
      }
      if (scheme.equals("v4l2")) {
        return device(m.group(2), trimmed);
      }
      if (NETWORK_SCHEMES.contains(scheme)) {
        return new VideoLocation(Kind.NETWORK, trimmed, null, trimmed);
      }
      throw new IngestException.UnsupportedSourceException(
          "cannot read '" + trimmed + "': the URL scheme '" + scheme + "' is not supported; use a local file, "
              + "a file: URI, one of " + String.join(", ", NETWORK_SCHEMES.stream().sorted().toList())
              + " or v4l2:///dev/videoN");
    }
    if (trimmed.startsWith("file:")) {
      return file(fileUriPath(trimmed), trimmed);
    }
    if (V4L2_NODE.matcher(trimmed).matches()) {
      return device(trimmed, trimmed);
    }
    try {
      return file(Path.of(trimmed), trimmed);
    } catch (final InvalidPathException e) {
      throw new IngestException.UnsupportedSourceException("'" + trimmed + "' is not a valid file path: " + e.getMessage(), e);
    }
  }

  private static Path fileUriPath(final String uri) {
    try {
      return Path.of(URI.create(uri));
    } catch (final IllegalArgumentException e) {
      throw new IngestException.UnsupportedSourceException(
          "'" + uri + "' is not a valid file: URI (write file:///absolute/path, with spaces as %20): " + e.getMessage(), e);
    }
  }

  private static VideoLocation file(final Path path, final String display) {
    final Path abs = path.toAbsolutePath().normalize();
    if (!Files.exists(abs)) {
      throw new IngestException.SourceNotFoundException(
          "no such video file: " + abs + (abs.toString().equals(display) ? "" : " (from '" + display + "')")
              + "; check the path");
    }
    if (Files.isDirectory(abs)) {
      throw new IngestException.UnsupportedSourceException(
          abs + " is a folder, not a video file; pass one of the files inside it");
    }
    if (!Files.isReadable(abs)) {
      throw new IngestException.SourceNotFoundException(
          "cannot read " + abs + ": permission denied; check the file's permissions");
    }
    final long size;
    try {
      size = Files.size(abs);
    } catch (final java.io.IOException e) {
      throw new IngestException.SourceNotFoundException("cannot read " + abs + ": " + e.getMessage(), e);
    }
    if (size == 0) {
      throw new IngestException.UnsupportedSourceException(abs + " is empty (0 bytes), not a video; was the download or copy interrupted?");
    }
    return new VideoLocation(Kind.FILE, abs.toString(), null, display);
  }

  private static VideoLocation device(final String node, final String display) {
    final Path dev = Path.of(node);
    if (!Files.exists(dev)) {
      throw new IngestException.SourceNotFoundException(
          "no camera at " + node + "; list the cameras with 'ls /dev/video*' (or v4l2-ctl --list-devices)");
    }
    if (!Files.isReadable(dev)) {
      throw new IngestException.SourceNotFoundException(
          "cannot open camera " + node + ": permission denied; add the user to the 'video' group");
    }
    return new VideoLocation(Kind.DEVICE, node, "video4linux2", display);
  }
}
