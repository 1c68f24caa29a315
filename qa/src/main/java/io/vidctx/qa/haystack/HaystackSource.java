package io.vidctx.qa.haystack;

import io.vidctx.ingest.FrameSource;
import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.video.DecodeOptions;
import io.vidctx.ingest.video.VideoFileSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A needle-in-a-video-haystack stream: the spec's clips played back to back, sampled at its fps and
 * decoded at its frame size, with each needle inserted as real frames.
 *
 * <p>Time line: every frame, haystack or needle, has index k (dense from 0) and pts {@code round(k *
 * 1e6 / fps)} microseconds, so clips are joined without gaps and time never goes back; the sampled
 * frames of a clip are put on that grid whatever their own times were. The haystack alone lasts D =
 * N / fps for its N sampled frames. A needle of depth d is inserted in front of the first haystack
 * frame at or after d·D (after the last one for d = 1): it shows for {@code ceil(duration * fps)}
 * frames, its photo fitted to the frame size keeping its aspect ratio, on black (see {@link
 * ImageAlterations#letterbox}), and every haystack frame behind it comes that many frame periods
 * later. Nothing is overwritten: the stream holds N frames plus the needle frames, and lasts D plus
 * the needle durations (rounded up to whole frame periods). {@link #needleIntervals()} says where each
 * needle ended up.
 *
 * <p>Counting: placing the needles needs N before the first frame is delivered, and a container's
 * frame count or duration is only an estimate of what sampling yields. So unless the counts are given
 * to {@link #open(HaystackSpec, List)}, the first call that needs them ({@link #next()}, {@link
 * #expectedFrames()}, {@link #needleIntervals()}, {@link #clipFrameCounts()}) decodes every clip once
 * to count its sampled frames, and the instance keeps the result. A damaged clip therefore fails on
 * that first call, before any frame is delivered; its {@link IngestException} comes from the ingest
 * decoder unchanged and names the clip. Playback checks each clip against its count and throws an
 * {@link IngestException} naming the clip if they differ.
 *
 * <p>Not thread-safe: one thread pulls and closes.
 */
public final class HaystackSource implements FrameSource {

  private final HaystackSpec spec;
  private final DecodeOptions options;
  private final List<DecodedImage> fittedNeedles;
  private @Nullable List<Long> clipFrames;
  private @Nullable HaystackLayout layout;
  private @Nullable VideoFileSource clip;
  private int clipIndex;
  private long clipDelivered;
  private long delivered;
  private long haystackDelivered;
  private int nextNeedle;
  private int activeNeedle = -1;
  private long needleLeft;
  private boolean finished;
  private boolean closed;

  private HaystackSource(final HaystackSpec spec, final @Nullable List<Long> clipFrames) {
    this.spec = spec;
    this.options = DecodeOptions.DEFAULTS.withStreamId(spec.streamId()).withFps(spec.fps())
        .withSize(spec.width(), spec.height());
    this.clipFrames = clipFrames;
    final List<DecodedImage> fitted = new ArrayList<>(spec.needles().size());
    for (final Needle n : spec.needles()) {
      fitted.add(ImageAlterations.letterbox(n.image(), spec.width(), spec.height()));
    }
    this.fittedNeedles = List.copyOf(fitted);
    if (clipFrames != null) {
      this.layout = plan(clipFrames);
    }
  }

  /**
   * A haystack whose clips are counted on first use (see the class comment).
   *
   * @throws IngestException.SourceNotFoundException a clip that is not a readable file
   */
  public static HaystackSource open(final HaystackSpec spec) {
    Objects.requireNonNull(spec, "spec");
    checkClipsExist(spec);
    return new HaystackSource(spec, null);
  }

  /**
   * A haystack whose clips' sampled frame counts are already known, e.g. from {@link
   * #clipFrameCounts()} of an earlier source with the same clips and fps: saves the counting pass
   * when one haystack is played with many needle depths. Playback still checks the counts.
   *
   * @throws IllegalArgumentException counts that do not match the clips, or needles that do not fit
   * @throws IngestException.SourceNotFoundException a clip that is not a readable file
   */
  public static HaystackSource open(final HaystackSpec spec, final List<Long> clipFrameCounts) {
    Objects.requireNonNull(spec, "spec");
    final List<Long> counts = List.copyOf(clipFrameCounts);
    if (counts.size() != spec.clips().size()) {
      throw new IllegalArgumentException(
          "got " + counts.size() + " clip frame counts for " + spec.clips().size() + " clips");
    }
    for (int i = 0; i < counts.size(); i++) {
      if (counts.get(i) < 0) {
        throw new IllegalArgumentException("frame count of " + spec.clips().get(i).path() + " must be >= 0, was "
            + counts.get(i));
      }
    }
    checkClipsExist(spec);
    return new HaystackSource(spec, counts);
  }

  /** The time of stream frame {@code k} at {@code fps}: {@code round(k * 1e6 / fps)} microseconds. */
  public static long framePts(final long k, final double fps) {
    return HaystackLayout.ptsMicros(k, fps);
  }

  /** The spec this source plays. */
  public HaystackSpec spec() {
    return spec;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IngestException a clip that cannot be read to its end (from the ingest decoder, naming
   *     the clip), or one that yields another frame count than counted
   * @throws IllegalArgumentException the needles do not fit the haystack (longer than it, or two in
   *     front of the same frame); known only once the clips are counted
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public Optional<VideoFrame> next() {
    if (closed) {
      throw new IllegalStateException("haystack " + describe() + " is closed");
    }
    if (finished) {
      return Optional.empty();
    }
    final HaystackLayout plan = layout();
    if (needleLeft == 0 && nextNeedle < plan.needleCount() && plan.insertAt(nextNeedle) == haystackDelivered) {
      activeNeedle = nextNeedle++;
      needleLeft = plan.needleFrames(activeNeedle);
    }
    if (needleLeft > 0) {
      needleLeft--;
      // A copy per frame: frames are handed over, and one consumer's change must not show in another frame.
      return Optional.of(frame(fittedNeedles.get(plan.specIndex(activeNeedle)).rgb().clone()));
    }
    final byte[] rgb = nextHaystackPixels();
    if (rgb == null) {
      finished = true;
      return Optional.empty();
    }
    haystackDelivered++;
    return Optional.of(frame(rgb));
  }

  /**
   * Where each needle is in the stream, in stream order. Counts the clips first if needed.
   *
   * @throws IllegalArgumentException the needles do not fit the haystack
   */
  public List<NeedleInterval> needleIntervals() {
    return layout().intervals();
  }

  /** Sampled frames per clip at the spec's fps, in clip order; counts the clips first if needed. */
  public List<Long> clipFrameCounts() {
    countClips();
    return Objects.requireNonNull(clipFrames);
  }

  /** D: the haystack's duration without needles, N / fps, in microseconds. */
  public long haystackDurationMicros() {
    return layout().haystackMicros();
  }

  /** Exact: haystack frames plus needle frames. Counts the clips first if needed. */
  @Override
  public OptionalLong expectedFrames() {
    return OptionalLong.of(layout().totalFrames());
  }

  @Override
  public String describe() {
    final String clips = spec.clips().stream().map(Clip::toString)
        .collect(Collectors.joining(" + "));
    final String needles = spec.needles().stream().map(n -> n.label() + "@" + n.depth())
        .collect(Collectors.joining(", "));
    return "haystack " + spec.streamId() + " (" + clips + " at " + spec.fps() + " fps, " + spec.width() + "x"
        + spec.height() + (needles.isEmpty() ? "" : ", needles " + needles) + ")";
  }

  /** Closes the clip being decoded; idempotent, never throws. */
  @Override
  public void close() {
    closed = true;
    closeClip();
  }

  private VideoFrame frame(final byte[] rgb) {
    final long k = delivered++;
    return new VideoFrame(spec.streamId(), k, HaystackLayout.ptsMicros(k, spec.fps()), spec.width(), spec.height(), rgb);
  }

  /** The next sampled picture of the clips, or null after the last clip. */
  private byte @Nullable [] nextHaystackPixels() {
    final List<Long> counts = Objects.requireNonNull(clipFrames);
    while (clipIndex < spec.clips().size()) {
      final Clip c = spec.clips().get(clipIndex);
      final Path path = c.path();
      VideoFileSource source = clip;
      if (source == null) {
        source = VideoFileSource.open(path.toString(), options(c));
        clip = source;
        clipDelivered = 0;
      }
      final Optional<VideoFrame> f = source.next();
      final long expected = counts.get(clipIndex);
      if (f.isPresent()) {
        if (++clipDelivered > expected) {
          throw countMismatch(path, "more than " + expected);
        }
        return f.get().rgb();
      }
      if (clipDelivered != expected) {
        throw countMismatch(path, String.valueOf(clipDelivered));
      }
      closeClip();
      clipIndex++;
    }
    return null;
  }

  private IngestException countMismatch(final Path path, final String got) {
    return new IngestException(path + " yielded " + got + " frames at " + spec.fps() + " fps, but "
        + Objects.requireNonNull(clipFrames).get(clipIndex) + " were counted before; was the file changed, or"
        + " do the given frame counts belong to other clips or another fps?");
  }

  private HaystackLayout layout() {
    HaystackLayout plan = layout;
    if (plan == null) {
      countClips();
      plan = plan(Objects.requireNonNull(clipFrames));
      layout = plan;
    }
    return plan;
  }

  private HaystackLayout plan(final List<Long> counts) {
    long total = 0;
    for (final long c : counts) {
      total += c;
    }
    return HaystackLayout.plan(total, spec.fps(), spec.needles());
  }

  private void countClips() {
    if (clipFrames != null) {
      return;
    }
    final List<Long> counts = new ArrayList<>(spec.clips().size());
    for (final Clip c : spec.clips()) {
      try (VideoFileSource source = VideoFileSource.open(c.path().toString(), options(c))) {
        long n = 0;
        while (source.next().isPresent()) {
          n++;
        }
        counts.add(n);
      }
    }
    clipFrames = List.copyOf(counts);
  }

  private DecodeOptions options(final Clip c) {
    return options.withRange(c.startMicros(), -1).withMaxFrames(c.maxFrames());
  }

  private void closeClip() {
    final VideoFileSource source = clip;
    clip = null;
    if (source != null) {
      source.close();
    }
  }

  private static void checkClipsExist(final HaystackSpec spec) {
    for (final Clip c : spec.clips()) {
      final Path p = c.path();
      if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        throw new IngestException.SourceNotFoundException("haystack clip not found or not readable: " + p);
      }
    }
  }
}
