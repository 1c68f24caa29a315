package io.vidctx.encoder.ocr;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/*
 * One place for "OCR a stream sparsely": the schedule picks the frames to read, a frame not read
 * keeps the previous frame's readings (it looks the same, so its text is the same), and the timeline
 * merges readings into text tokens with spans. The reading itself is a callback, so a caller with
 * readings cached per frame (the evaluation's haystacks) replays exactly what a live pass would read.
 */
/**
 * Runs OCR over one stream's frames on an {@link OcrSchedule} and merges the readings into {@link
 * TextToken}s. Frames in time order; not thread-safe.
 */
public final class OcrPass {
  private final OcrSchedule schedule;
  private final TextTimeline timeline = new TextTimeline();
  private List<TextLine> last = List.of();
  private long detectNanos;
  private long recognizeNanos;
  private long crops;

  public OcrPass(final OcrSchedule.Config config) {
    this.schedule = new OcrSchedule(Objects.requireNonNull(config, "config"));
  }

  /**
   * The frame at {@code ptsMicros} with its thumbnail: read through {@code reader} when the schedule
   * says so, else its previous readings carry over.
   *
   * @return whether the frame was read
   */
  public boolean accept(final long ptsMicros, final Thumbnail thumbnail, final Supplier<List<TextLine>> reader) {
    final boolean due = schedule.due(ptsMicros, thumbnail);
    if (due) {
      last = List.copyOf(reader.get());
    }
    timeline.accept(ptsMicros, last);
    return due;
  }

  /**
   * A decoded frame (RGB24), read by {@code engine} when due.
   *
   * @return the reading with its timings when the frame was read, else null
   */
  public @Nullable OcrReading accept(final long ptsMicros, final int width, final int height, final byte[] rgb,
      final OcrEngine engine) {
    final OcrReading[] read = new OcrReading[1];
    accept(ptsMicros, Thumbnail.of(width, height, rgb), () -> {
      read[0] = engine.readTimed(width, height, rgb);
      return read[0].lines();
    });
    if (read[0] != null) {
      detectNanos += read[0].detectNanos();
      recognizeNanos += read[0].recognizeNanos();
      crops += read[0].crops();
    }
    return read[0];
  }

  /** Text tokens closed since the last call (their text left the screen), by start time. */
  public List<TextToken> drainClosed() {
    return timeline.drainClosed();
  }

  /** Ends the stream: every token not drained yet, open ones closed, by start time. */
  public List<TextToken> finish() {
    return timeline.flush();
  }

  /** Frames seen. */
  public long frames() {
    return schedule.frames();
  }

  /** Frames read by OCR. */
  public long read() {
    return schedule.read();
  }

  /** Time spent in detection by {@link #accept(long, int, int, byte[], OcrEngine)}. */
  public long detectNanos() {
    return detectNanos;
  }

  /** Time spent in recognition by {@link #accept(long, int, int, byte[], OcrEngine)}. */
  public long recognizeNanos() {
    return recognizeNanos;
  }

  /** Text boxes recognised by {@link #accept(long, int, int, byte[], OcrEngine)}. */
  public long crops() {
    return crops;
  }
}
