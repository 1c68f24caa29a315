package io.vidctx.qa.frames;

import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.ingest.image.ImageFormat;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import io.vidctx.ingest.video.VideoInfo;
import io.vidctx.ingest.video.VideoProbe;
import io.vidctx.qa.Keyframe;
import io.vidctx.tokencompress.select.TimeRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/*
 * Finding the nearest frame without decoding the whole video: each pass opens the video with a
 * decode range [t - W, t + W), which makes VideoFileSource seek, and keeps the decoded frame nearest
 * to t. Every frame outside that range is at least W away from t, so as soon as the range holds one
 * frame, the nearest frame in it is the nearest in the video. A range that holds none (a pause in a
 * variable-rate stream, a sound track that runs on after the pictures end) is widened by doubling
 * until it holds one or covers the whole video.
 *
 * Keyframes a few seconds apart share one pass over the span between them: decoding a second of
 * video costs less than reopening the file and seeking again.
 */

/**
 * Fetches the pictures of keyframes from the video they were selected from, as JPEGs for an
 * image-based model.
 *
 * <p>For each keyframe the decoded frame whose presentation time is nearest to {@link
 * Keyframe#ptsMicros()} is taken (the earlier one on a tie), scaled down by FFmpeg to at most {@code
 * maxWidth} pixels wide with its aspect ratio kept (never enlarged), and encoded as JPEG. A time
 * after the last frame gets the last frame, a negative time the first. The keyframes keep their own
 * time, share and similarity; only the JPEG is added.
 *
 * <p>Immutable and thread-safe: every {@link #grab} opens and closes its own decoders.
 */
public final class KeyframeGrabber {

  public static final int DEFAULT_MAX_WIDTH = 768;

  public static final int DEFAULT_JPEG_QUALITY = 85;

  /** Half the first decode range around a keyframe: several frames even at low frame rates. */
  private static final long WINDOW_MICROS = 500_000L;

  /** Keyframes at most this far apart share a decode pass. */
  private static final long SHARED_PASS_GAP_MICROS = 2_000_000L;

  private final String videoLocation;
  private final int maxWidth;
  private final ImageCodec codec;

  /**
   * @param videoLocation the file or URL the keyframes were selected from (as {@link
   *     VideoFileSource#open(String, DecodeOptions)} takes it); it is opened only by {@link #grab}
   * @param maxWidth the widest picture to return, in pixels; wider videos are scaled down
   * @param jpegQuality JPEG quality, 1..100
   */
  public KeyframeGrabber(final String videoLocation, final int maxWidth, final int jpegQuality) {
    this.videoLocation = Objects.requireNonNull(videoLocation, "videoLocation");
    if (maxWidth < 1) {
      throw new IllegalArgumentException("maxWidth must be at least 1 pixel, was " + maxWidth);
    }
    this.maxWidth = maxWidth;
    this.codec = new ImageCodec(jpegQuality);
  }

  /** At most {@value #DEFAULT_MAX_WIDTH} pixels wide, JPEG quality {@value #DEFAULT_JPEG_QUALITY}. */
  public KeyframeGrabber(final String videoLocation) {
    this(videoLocation, DEFAULT_MAX_WIDTH, DEFAULT_JPEG_QUALITY);
  }

  /**
   * Adds the picture of each keyframe.
   *
   * @param keyframes in any order (time order is cheapest); the same time may appear twice
   * @return the keyframes in the order given, each with its JPEG
   * @throws IngestException when the video cannot be opened or decoded (the message names it), or
   *     holds no decodable picture
   */
  public List<Keyframe> grab(final List<Keyframe> keyframes) {
    Objects.requireNonNull(keyframes, "keyframes");
    if (keyframes.isEmpty()) {
      return List.of();
    }
    final VideoInfo info = VideoProbe.probe(videoLocation);
    final DecodeOptions options =
        DecodeOptions.DEFAULTS.withStreamId("keyframes").withSize(info.width() > maxWidth ? maxWidth : 0, 0);
    final long duration = info.durationMicros();
    final long[] targets = keyframes.stream().mapToLong(k -> Math.max(0, k.ptsMicros())).toArray();
    final int[] byTime = IntStream.range(0, targets.length).boxed()
        .sorted(Comparator.comparingLong(i -> targets[i])).mapToInt(Integer::intValue).toArray();

    // Frames are encoded group by group, so at most one group's raw pictures are held at a time.
    final @Nullable VideoFrame[] nearest = new VideoFrame[targets.length];
    final byte[][] jpegs = new byte[targets.length][];
    int first = 0;
    while (first < byTime.length) {
      int last = first;
      while (last + 1 < byTime.length
          && targets[byTime[last + 1]] - targets[byTime[last]] <= SHARED_PASS_GAP_MICROS) {
        last++;
      }
      final int[] members = Arrays.copyOfRange(byTime, first, last + 1);
      pass(options, duration, targets, members, nearest, WINDOW_MICROS, false);
      // A frame nearest to several keyframes is encoded once.
      final Map<VideoFrame, byte[]> encoded = new IdentityHashMap<>();
      for (final int k : members) {
        widenUntilFound(options, duration, targets, k, nearest);
        jpegs[k] = encoded.computeIfAbsent(Objects.requireNonNull(nearest[k]),
            f -> codec.encode(f.rgb(), f.width(), f.height(), ImageFormat.JPEG));
        nearest[k] = null;
      }
      first = last + 1;
    }

    final List<Keyframe> out = new ArrayList<>(keyframes.size());
    for (int k = 0; k < jpegs.length; k++) {
      out.add(keyframes.get(k).withJpeg(jpegs[k]));
    }
    return List.copyOf(out);
  }

  /**
   * Writes each keyframe's JPEG as {@code keyframe_<index>_<H-MM-SS.mmm>.jpg}, e.g. {@code
   * keyframe_000_0-00-01.000.jpg}, replacing files of the same name; creates {@code dir} if needed.
   *
   * @return the files written, in the order of the keyframes
   * @throws IllegalArgumentException when a keyframe has no JPEG (nothing is written then)
   */
  public static List<Path> writeAll(final List<Keyframe> keyframes, final Path dir) throws IOException {
    Objects.requireNonNull(keyframes, "keyframes");
    Objects.requireNonNull(dir, "dir");
    for (int i = 0; i < keyframes.size(); i++) {
      if (!keyframes.get(i).hasImage()) {
        throw new IllegalArgumentException("keyframe " + i + " at " + clock(keyframes.get(i).ptsMicros())
            + " has no JPEG; fetch the pictures with KeyframeGrabber.grab first");
      }
    }
    Files.createDirectories(dir);
    final List<Path> written = new ArrayList<>(keyframes.size());
    for (int i = 0; i < keyframes.size(); i++) {
      final Keyframe keyframe = keyframes.get(i);
      final Path file = dir.resolve(fileName(i, keyframe.ptsMicros()));
      Files.write(file, Objects.requireNonNull(keyframe.jpeg()));
      written.add(file);
    }
    return List.copyOf(written);
  }

  /** {@code keyframe_007_1-02-03.456.jpg}: index, then the time as H-MM-SS.mmm (milliseconds truncated). */
  static String fileName(final int index, final long ptsMicros) {
    return String.format(Locale.ROOT, "keyframe_%03d_%s.jpg", index, clock(ptsMicros));
  }

  /** {@link TimeRange#format} with '-' for ':', which file names on every platform accept. */
  private static String clock(final long ptsMicros) {
    return TimeRange.format(ptsMicros).replace(':', '-');
  }

  /**
   * Decodes {@code [t_first - window, t_last + window)} around {@code members} (indices into {@code
   * targets}, in time order) and records, per member, the frame nearest to its target seen so far.
   * Past the end of the video, the range still starts before the end, so it ends with the last frame.
   *
   * @param wholeWhenUnbounded for a video of unknown duration: read to its end once the range starts at 0
   * @return true when the range was the whole video
   */
  private boolean pass(final DecodeOptions options, final long duration, final long[] targets, final int[] members,
      final @Nullable VideoFrame[] nearest, final long window, final boolean wholeWhenUnbounded) {
    final long from = targets[members[0]];
    final long to = targets[members[members.length - 1]];
    final long start = Math.max(0, (duration > 0 ? Math.min(from, duration) : from) - window);
    final long end;
    if (duration > 0) {
      end = to >= duration - window ? -1 : to + window;
    } else {
      end = wholeWhenUnbounded && start == 0 ? -1 : saturatedSum(to, window);
    }
    try (VideoFileSource source = VideoFileSource.open(videoLocation, options.withRange(start, end))) {
      for (Optional<VideoFrame> f = source.next(); f.isPresent(); f = source.next()) {
        final VideoFrame frame = f.get();
        for (final int k : members) {
          if (nearest[k] == null
              || Math.abs(frame.ptsMicros() - targets[k]) < Math.abs(nearest[k].ptsMicros() - targets[k])) {
            nearest[k] = frame;
          }
        }
      }
    }
    return start == 0 && end == -1;
  }

  /** The rare case of a range without frames: doubles the range until it holds one or is the whole video. */
  private void widenUntilFound(final DecodeOptions options, final long duration, final long[] targets, final int k,
      final @Nullable VideoFrame[] nearest) {
    long window = WINDOW_MICROS;
    while (nearest[k] == null) {
      window = saturatedSum(window, window);
      if (pass(options, duration, targets, new int[] {k}, nearest, window, true) && nearest[k] == null) {
        throw new IngestException(videoLocation + " holds no decodable picture");
      }
    }
  }

  /** a + b for non-negative values, Long.MAX_VALUE instead of overflowing. */
  private static long saturatedSum(final long a, final long b) {
    final long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }
}
