package io.vidctx.ingest.video;

import io.vidctx.ingest.IngestException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Opening FFmpeg grabbers and turning FFmpeg's failures into the module's typed exceptions.
 *
 * <p>FFmpeg's log level is process-wide native state. We lower it once, in this class's static
 * initializer (the JVM runs it exactly once, thread-safely), because at FFmpeg's default level every
 * open prints a multi-line stream dump to stderr; errors (corrupt packets) still print.
 */
final class Ffmpeg {

  static {
    try {
      FFmpegFrameGrabber.tryLoad();
    } catch (final FrameGrabber.Exception e) {
      throw new IllegalStateException("the FFmpeg native libraries (JavaCV) could not be loaded: " + e.getMessage(), e);
    }
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
  }

  /** JavaCV's messages carry FFmpeg's return code as "... error -2: ...". */
  private static final Pattern ERROR_CODE = Pattern.compile("error (-\\d+)");

  /** Network reads give up after this long without data instead of hanging on a dead stream. */
  static final long NETWORK_TIMEOUT_MICROS = 15_000_000L;

  private Ffmpeg() {}

  /**
   * Starts a grabber that hands out decoded pictures untouched (RAW), so that frames the sampler skips
   * are never converted, and conversion to RGB happens once, in {@link RgbConverter}.
   */
  static FFmpegFrameGrabber start(final VideoLocation location) {
    final FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(location.input());
    grabber.setImageMode(FrameGrabber.ImageMode.RAW);
    if (location.format() != null) {
      grabber.setFormat(location.format());
    }
    if (location.kind() == VideoLocation.Kind.NETWORK) {
      final String timeout = Long.toString(NETWORK_TIMEOUT_MICROS);
      grabber.setOption("rw_timeout", timeout);
      if (location.input().regionMatches(true, 0, "rtsp", 0, 4)) {
        // UDP loses packets behind NATs and firewalls; TCP gives whole frames or a clear error.
        grabber.setOption("rtsp_transport", "tcp");
        grabber.setOption("timeout", timeout);
      }
    }
    // Decoders crop only to aligned offsets on their own: a Theora stream with a 4-pixel picture
    // offset came out 218 wide instead of 214, junk columns included. Letting them crop unaligned
    // instead broke swscale's unscaled path (wrong last columns). So we take the whole coded picture
    // with its crop fields and crop in RgbConverter, where RGB rows can be cut at any pixel.
    grabber.setVideoOption("apply_cropping", "0");
    try {
      grabber.start();
      return grabber;
    } catch (final FrameGrabber.Exception | RuntimeException e) {
      closeQuietly(grabber);
      throw openFailure(location, e);
    }
  }

  static void closeQuietly(final FFmpegFrameGrabber grabber) {
    try {
      grabber.close();
    } catch (final FrameGrabber.Exception | RuntimeException ignored) {
      // close() must never throw; the native memory is freed by release() before it can fail.
    }
  }

  /** Maps a failed open to SourceNotFound (missing, refused) or UnsupportedSource (not a video). */
  static IngestException openFailure(final VideoLocation location, final Exception e) {
    final int code = errorCode(e.getMessage());
    final String reason = code < 0 ? describe(code) : String.valueOf(e.getMessage());
    final String where = location.display();
    if (code == -2 /* ENOENT */ || code == -13 /* EACCES */ || code == -111 /* ECONNREFUSED */
        || code == -110 /* ETIMEDOUT */ || code == -113 /* EHOSTUNREACH */ || code == avutil.AVERROR_HTTP_NOT_FOUND()) {
      final String hint = location.kind() == VideoLocation.Kind.NETWORK
          ? "check the URL and that the server is reachable from here"
          : "check the path and its permissions";
      return new IngestException.SourceNotFoundException("cannot open " + where + ": " + reason + "; " + hint, e);
    }
    if (code == avutil.AVERROR_INVALIDDATA()) {
      return new IngestException.UnsupportedSourceException(
          "cannot read " + where + " as a video: FFmpeg does not recognise the data (" + reason
              + "); is it a complete video file? A file cut short before its index (e.g. an MP4 without "
              + "its moov atom) cannot be opened either", e);
    }
    if (location.kind() == VideoLocation.Kind.NETWORK && code < 0) {
      return new IngestException.SourceNotFoundException(
          "cannot open " + where + ": " + reason + "; check the URL and that the server is reachable from here", e);
    }
    return new IngestException.UnsupportedSourceException("cannot open " + where + " as a video: " + reason, e);
  }

  static int errorCode(final String message) {
    if (message == null) {
      return 0;
    }
    final Matcher m = ERROR_CODE.matcher(message);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  /** FFmpeg's own text for an error code, e.g. "Invalid data found when processing input". */
  static String describe(final int code) {
    final byte[] buf = new byte[256];
    avutil.av_strerror(code, buf, buf.length);
    int n = 0;
    while (n < buf.length && buf[n] != 0) {
      n++;
    }
    return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8) + " (FFmpeg error " + code + ")";
  }
}
