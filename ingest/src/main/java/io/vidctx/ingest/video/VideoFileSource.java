package io.vidctx.ingest.video;

import io.vidctx.ingest.FrameSource;
import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.VideoFrame;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Pipeline per next() call: JavaCV's grabber demuxes and decodes (audio packets are read and dropped
 * undecoded) and hands over the decoder's own picture (RAW mode, no conversion); we compute its time,
 * ask the PtsSampler whether to keep it, and only a kept picture goes through swscale (scaling and
 * colour conversion in one pass, in native code) and one copy into the Java array.
 *
 * Times: ptsMicros = best-effort timestamp of the picture in the stream's time base, converted to
 * microseconds, minus the container's start time. So an MPEG-PS file whose clock starts at 0.54 s
 * delivers its first frame at 0, and a WebM whose first frame is at 3 ms delivers 3000.
 *
 * Damage: JavaCV skips packets the decoder rejects and goes on, so corrupt stretches cost frames, not
 * the stream. A read error ends the stream like end-of-file would; we notice the difference by
 * comparing where decoding stopped with the duration the container promised, and after every
 * readable frame has been delivered, report a truncated input with CorruptVideoException.
 */

/**
 * Frames from a video file, a URL (rtsp/rtmp/http/https/hls) or a V4L2 camera, decoded by FFmpeg
 * through JavaCV and sampled by presentation time.
 *
 * <p>Frames come as packed RGB24 at the size {@link DecodeOptions} asks for (scaled by FFmpeg), or at
 * the decoded picture size. If the stream changes resolution part-way, later frames are scaled to the
 * size of the first delivered frame, so one source always delivers one size. Times are strictly
 * increasing; a picture whose time does not advance is dropped (counted in {@link #stats()}).
 *
 * <p>Not thread-safe: one thread opens, pulls and closes.
 */
public final class VideoFileSource implements FrameSource {

  private static final Logger LOG = LoggerFactory.getLogger(VideoFileSource.class);

  /** Stopping this much short of the promised duration is normal (last frame's length, rounding). */
  private static final long TRUNCATION_SLACK_MICROS = 1_000_000L;

  /** ... or this share of it, whichever is larger. */
  private static final double TRUNCATION_SLACK_SHARE = 0.05;

  /** A jump of more than this many frame intervals between decoded pictures counts as a gap. */
  private static final double GAP_FRAMES = 2.5;

  private static final int LOGGED_GAPS = 3;

  private final VideoLocation location;
  private final DecodeOptions options;
  private final VideoInfo info;
  private final PtsSampler sampler;
  private final int timeBaseNum;
  private final int timeBaseDen;
  private final long videoEndMicros;
  private final long nominalFrameMicros;
  private FFmpegFrameGrabber grabber;
  private RgbConverter converter;
  private long originMicros;
  private boolean finished;
  private long decoded;
  private long delivered;
  private long sampledOut;
  private long outOfOrder;
  private long unconvertible;
  private long gaps;
  private long missingFrames;
  private long lastPts = -1;
  private long lastDeliveredPts = -1;

  private VideoFileSource(
      final VideoLocation location, final DecodeOptions options, final FFmpegFrameGrabber grabber, final VideoInfo info) {
    this.location = location;
    this.options = options;
    this.grabber = grabber;
    this.info = info;
    this.sampler = new PtsSampler(options.fps(), options.startMicros(), options.endMicros(), options.maxFrames());
    final AVFormatContext oc = grabber.getFormatContext();
    final AVStream st = oc.streams(VideoProbe.videoStreamIndex(oc));
    this.timeBaseNum = st.time_base().num();
    this.timeBaseDen = st.time_base().den();
    this.originMicros = oc.start_time() == avutil.AV_NOPTS_VALUE ? Long.MIN_VALUE : oc.start_time();
    this.nominalFrameMicros = info.fps() > 0 ? Math.round(1_000_000.0 / info.fps()) : 40_000L;
    this.videoEndMicros = videoEnd(st, info);
  }

  /**
   * Opens a video for decoding.
   *
   * @param location a file path, a {@code file:} URI, an {@code rtsp://}, {@code rtmp://}, {@code
   *     http(s)://} (including HLS {@code .m3u8}) URL, or a V4L2 device ({@code /dev/videoN} or
   *     {@code v4l2:///dev/videoN})
   * @throws io.vidctx.ingest.IngestException.SourceNotFoundException missing file
   * @throws io.vidctx.ingest.IngestException.UnsupportedSourceException unsupported scheme, not a
   *     video, empty file
   * @throws IngestException a start time past the end of the video (base type: the input is fine,
   *     the request does not fit it)
   */
  public static VideoFileSource open(final String location, final DecodeOptions options) {
    Objects.requireNonNull(options, "options");
    final VideoLocation where = VideoLocation.parse(location);
    final FFmpegFrameGrabber grabber = Ffmpeg.start(where);
    try {
      final VideoInfo info = VideoProbe.describe(where, grabber);
      if (info.durationMicros() > 0 && options.startMicros() >= info.durationMicros()) {
        throw new IngestException(
            "start time " + seconds(options.startMicros()) + " s is past the end of " + where.display() + ", which is "
                + seconds(info.durationMicros()) + " s long; pick a start before that");
      }
      final VideoFileSource source = new VideoFileSource(where, options, grabber, info);
      source.seekToStart();
      return source;
    } catch (final RuntimeException e) {
      Ffmpeg.closeQuietly(grabber);
      throw e;
    }
  }

  /** Every frame of the whole video at its native size. */
  public static VideoFileSource open(final String location) {
    return open(location, DecodeOptions.DEFAULTS);
  }

  /** What the container says (available right after open). */
  public VideoInfo info() {
    return info;
  }

  /** The options this source was opened with. */
  public DecodeOptions options() {
    return options;
  }

  /** Counts so far; cheap, may be called at any time, also after close. */
  public DecodeStats stats() {
    return new DecodeStats(decoded, delivered, sampledOut, outOfOrder, unconvertible, gaps, missingFrames, lastPts);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IngestException.CorruptVideoException the input broke off well before the duration its
   *     container states (thrown once, after every readable frame was delivered), or a read failed
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public Optional<VideoFrame> next() {
    if (grabber == null) {
      throw new IllegalStateException("source " + location.display() + " is closed");
    }
    while (!finished) {
      final Frame frame = grab();
      if (frame == null) {
        finished = true;
        checkComplete();
        return Optional.empty();
      }
      if (!(frame.opaque instanceof AVFrame)) {
        continue;
      }
      final AVFrame picture = (AVFrame) frame.opaque;
      final long pts = ptsMicros(picture);
      decoded++;
      if (pts <= lastPts) {
        outOfOrder++;
        continue;
      }
      noteGap(pts);
      lastPts = pts;
      switch (sampler.offer(pts)) {
        case END:
          finished = true;
          return Optional.empty();
        case SKIP:
          if (pts >= options.startMicros()) {
            sampledOut++;
          }
          continue;
        case TAKE:
        default:
          break;
      }
      final byte[] rgb;
      try {
        rgb = converter(picture).convert(picture);
      } catch (final IllegalStateException e) {
        unconvertible++;
        LOG.warn("{}: skipped the picture at {} s: {}", location.display(), pts / 1e6, e.getMessage());
        continue;
      }
      final VideoFrame out =
          new VideoFrame(options.streamId(), delivered, pts, converter.width(), converter.height(), rgb);
      delivered++;
      lastDeliveredPts = pts;
      if (sampler.isDone()) {
        finished = true;
      }
      return Optional.of(out);
    }
    return Optional.empty();
  }

  @Override
  public OptionalLong expectedFrames() {
    final long end = options.endMicros() >= 0
        ? (info.durationMicros() > 0 ? Math.min(options.endMicros(), info.durationMicros()) : options.endMicros())
        : info.durationMicros();
    if (end <= 0) {
      return options.maxFrames() > 0 ? OptionalLong.of(options.maxFrames()) : OptionalLong.empty();
    }
    final double span = Math.max(0, end - options.startMicros()) / 1_000_000.0;
    final long n;
    if (options.fps() > 0) {
      final long sampled = (long) Math.ceil(span * options.fps() - 1e-6);
      n = info.fps() > 0 ? Math.min(sampled, (long) Math.ceil(span * info.fps() - 1e-6)) : sampled;
    } else if (options.startMicros() == 0 && options.endMicros() < 0 && info.frameCount() > 0) {
      n = info.frameCount();
    } else if (info.fps() > 0) {
      n = Math.round(span * info.fps());
    } else {
      return options.maxFrames() > 0 ? OptionalLong.of(options.maxFrames()) : OptionalLong.empty();
    }
    return OptionalLong.of(options.maxFrames() > 0 ? Math.min(n, options.maxFrames()) : n);
  }

  @Override
  public String describe() {
    return location.display();
  }

  /** Releases the decoder and the scaler; idempotent, never throws. */
  @Override
  public void close() {
    if (converter != null) {
      converter.close();
      converter = null;
    }
    if (grabber != null) {
      Ffmpeg.closeQuietly(grabber);
      grabber = null;
    }
  }

  /**
   * Reports a hole in the time line: JavaCV drops packets the decoder rejects without telling us, so
   * a jump of more than {@link #GAP_FRAMES} frame intervals is how damage shows. Variable-rate sources
   * have legitimate pauses too, hence a count and a few log lines rather than an error.
   */
  private void noteGap(final long pts) {
    if (lastPts < 0 || info.fps() <= 0 || pts - lastPts <= GAP_FRAMES * nominalFrameMicros) {
      return;
    }
    final long missing = Math.round((double) (pts - lastPts) / nominalFrameMicros) - 1;
    gaps++;
    missingFrames += missing;
    if (gaps <= LOGGED_GAPS) {
      LOG.warn("{}: no pictures between {} s and {} s (about {} frames missing); the input may be damaged there{}",
          location.display(), seconds(lastPts), seconds(pts), missing, gaps == LOGGED_GAPS ? " (further gaps are only counted)" : "");
    }
  }

  private Frame grab() {
    try {
      return grabber.grabFrame(false, true, true, false, false);
    } catch (final FrameGrabber.Exception | RuntimeException e) {
      finished = true;
      throw new IngestException.CorruptVideoException(
          location.display() + " became unreadable after " + seconds(lastDeliveredPts) + " s (" + delivered
              + " frames delivered): " + e.getMessage() + "; if it is a network stream, check the connection",
          lastDeliveredPts, delivered, e);
    }
  }

  /**
   * Seeks near the start time so a late start does not decode the whole prefix; the sampler still
   * drops whatever the seek lands before the start. Cameras and some streams cannot seek: then we
   * decode from the beginning and drop frames instead.
   */
  private void seekToStart() {
    if (options.startMicros() <= 0 || location.kind() == VideoLocation.Kind.DEVICE) {
      return;
    }
    try {
      // JavaCV adds the container start time itself and decodes forward to the target.
      grabber.setVideoTimestamp(options.startMicros());
    } catch (final FrameGrabber.Exception | RuntimeException e) {
      LOG.info("{}: cannot seek to {} s ({}); decoding from the beginning instead",
          location.display(), options.startMicros() / 1e6, e.getMessage());
    }
  }

  private RgbConverter converter(final AVFrame picture) {
    if (converter == null) {
      final int[] size = outputSize(options.width(), options.height(),
          RgbConverter.visibleWidth(picture), RgbConverter.visibleHeight(picture));
      converter = new RgbConverter(size[0], size[1], swscale.SWS_BILINEAR);
    }
    return converter;
  }

  /**
   * The output size: both given, as given; one given, the other from the source aspect ratio
   * (rounded, at least 1); none given, the source size.
   */
  static int[] outputSize(final int width, final int height, final int sourceWidth, final int sourceHeight) {
    if (width > 0 && height > 0) {
      return new int[] {width, height};
    }
    if (width > 0) {
      return new int[] {width, (int) Math.max(1, Math.round((double) sourceHeight * width / sourceWidth))};
    }
    if (height > 0) {
      return new int[] {(int) Math.max(1, Math.round((double) sourceWidth * height / sourceHeight)), height};
    }
    return new int[] {sourceWidth, sourceHeight};
  }

  /** Microseconds from the container start; a picture without any timestamp follows the previous one. */
  private long ptsMicros(final AVFrame picture) {
    final long raw = picture.best_effort_timestamp();
    if (raw == avutil.AV_NOPTS_VALUE) {
      return lastPts < 0 ? 0 : lastPts + nominalFrameMicros;
    }
    final long abs = toMicros(raw, timeBaseNum, timeBaseDen);
    if (originMicros == Long.MIN_VALUE) {
      originMicros = abs;
    }
    return abs - originMicros;
  }

  /**
   * {@code ticks * num / den} seconds in microseconds, rounded to nearest. Split into whole time-base
   * periods and a remainder so that the product cannot overflow for any tick count whose result fits.
   */
  static long toMicros(final long ticks, final int num, final int den) {
    final long perPeriod = 1_000_000L * num;
    final long whole = Math.floorDiv(ticks, den);
    final long rest = Math.floorMod(ticks, den);
    return whole * perPeriod + Math.floorDiv(rest * perPeriod + den / 2, den);
  }

  /**
   * End of the video stream in our time frame, or -1 when the container does not say. The video
   * stream's own duration comes first (the container's is the longest stream's, and a sound track may
   * run on after the pictures end); Matroska keeps it in a "DURATION" tag instead.
   */
  private long videoEnd(final AVStream st, final VideoInfo info) {
    if (st.duration() != avutil.AV_NOPTS_VALUE && st.duration() > 0) {
      final long start = st.start_time() == avutil.AV_NOPTS_VALUE ? 0 : st.start_time();
      final long end = toMicros(start + st.duration(), timeBaseNum, timeBaseDen);
      return originMicros == Long.MIN_VALUE ? end : end - originMicros;
    }
    final AVDictionaryEntry tag = avutil.av_dict_get(st.metadata(), "DURATION", null, 0);
    if (tag != null && !tag.isNull()) {
      final long tagged = parseClock(tag.value().getString());
      if (tagged > 0) {
        return tagged;
      }
    }
    return info.durationMicros();
  }

  /** "HH:MM:SS.fraction" (Matroska's DURATION tag) in microseconds; -1 when it does not parse. */
  static long parseClock(final String clock) {
    final String[] parts = clock.strip().split(":");
    if (parts.length != 3) {
      return -1;
    }
    try {
      final double seconds =
          Integer.parseInt(parts[0]) * 3600.0 + Integer.parseInt(parts[1]) * 60.0 + Double.parseDouble(parts[2]);
      return seconds >= 0 ? Math.round(seconds * 1e6) : -1;
    } catch (final NumberFormatException e) {
      return -1;
    }
  }

  /** At end of input: did we get (roughly) as far as the container promised? */
  private void checkComplete() {
    if (videoEndMicros <= 0 || location.kind() == VideoLocation.Kind.DEVICE) {
      return;
    }
    final long target = options.endMicros() >= 0 ? Math.min(options.endMicros(), videoEndMicros) : videoEndMicros;
    final long reached = lastPts < 0 ? 0 : lastPts + nominalFrameMicros;
    final long slack = Math.max(TRUNCATION_SLACK_MICROS, (long) (target * TRUNCATION_SLACK_SHARE));
    if (target - reached > slack) {
      final String what = lastPts < 0 ? "no picture could be decoded" : "decoding stopped at " + seconds(lastPts) + " s";
      throw new IngestException.CorruptVideoException(
          location.display() + " is damaged or truncated: its container promises " + seconds(target)
              + " s of video but " + what + "; all " + delivered + " readable frames up to there were delivered. "
              + "Re-download or re-copy the file, or pass an end time before " + seconds(lastPts) + " s",
          lastDeliveredPts, delivered);
    }
  }

  private static String seconds(final long micros) {
    return micros < 0 ? "0" : String.format(java.util.Locale.ROOT, "%.3f", micros / 1e6);
  }
}
