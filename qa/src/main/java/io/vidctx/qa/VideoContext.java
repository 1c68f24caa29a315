package io.vidctx.qa;

import io.vidctx.tokencompress.StageStats;
import io.vidctx.tokencompress.TokenBlock;
import io.vidctx.tokencompress.select.SegmentScore;
import io.vidctx.tokencompress.select.Selection;
import io.vidctx.tokencompress.select.TextHit;
import java.util.List;

/**
 * The compact, time-stamped context of one question about one video: the selected tokens in time
 * order with their spans, grid positions, weights and scores; the on-screen text that goes with them
 * (OCR text tokens with their spans, when the memory has any); per-segment summaries; per-stage
 * statistics (compression stages, then "select"); the question and how it was matched; and the
 * keyframes an image-based model is shown. Immutable.
 *
 * <p>Export: {@code io.vidctx.qa.export.ContextExporter} (JSON metadata + float32 {@code .npy}).
 */
public final class VideoContext {
  private final String streamId;
  private final String model;
  private final Question question;
  private final QueryKind queryKind;
  private final List<String> notes;
  private final Selection selection;
  private final List<StageStats> stats;
  private final long videoStartMicros;
  private final long videoEndMicros;
  private final List<Keyframe> keyframes;
  private final float[][] queryVectors;
  private final boolean textRead;

  /**
   * @param streamId the video's stream id
   * @param model the encoder model the tokens come from
   * @param question the question asked
   * @param queryKind what the selection compared the video with
   * @param notes warnings for the user (a fallback taken, a range clipped), in the order they arose
   * @param selection the selected tokens
   * @param stats per-stage statistics, compression stages first, then the selection
   * @param videoStartMicros first time the memory covers
   * @param videoEndMicros last time the memory covers
   * @param keyframes keyframes in time order
   * @param queryVectors the vectors the selection compared the tokens with (empty for coverage)
   */
  public VideoContext(final String streamId, final String model, final Question question, final QueryKind queryKind,
      final List<String> notes, final Selection selection, final List<StageStats> stats, final long videoStartMicros,
      final long videoEndMicros, final List<Keyframe> keyframes, final float[][] queryVectors) {
    this(streamId, model, question, queryKind, notes, selection, stats, videoStartMicros, videoEndMicros, keyframes,
        queryVectors, false);
  }

  private VideoContext(final String streamId, final String model, final Question question, final QueryKind queryKind,
      final List<String> notes, final Selection selection, final List<StageStats> stats, final long videoStartMicros,
      final long videoEndMicros, final List<Keyframe> keyframes, final float[][] queryVectors,
      final boolean textRead) {
    this.textRead = textRead;
    this.streamId = streamId;
    this.model = model;
    this.question = question;
    this.queryKind = queryKind;
    this.notes = List.copyOf(notes);
    this.selection = selection;
    this.stats = List.copyOf(stats);
    this.videoStartMicros = videoStartMicros;
    this.videoEndMicros = videoEndMicros;
    this.keyframes = List.copyOf(keyframes);
    this.queryVectors = new float[queryVectors.length][];
    for (int l = 0; l < queryVectors.length; l++) {
      this.queryVectors[l] = queryVectors[l].clone();
    }
  }

  public String streamId() {
    return streamId;
  }

  public String model() {
    return model;
  }

  public Question question() {
    return question;
  }

  public QueryKind queryKind() {
    return queryKind;
  }

  public List<String> notes() {
    return notes;
  }

  public Selection selection() {
    return selection;
  }

  /** A copy of the selected tokens in time order (shortcut for {@code selection().tokens()}). */
  public TokenBlock tokens() {
    return selection.tokens();
  }

  /** On-screen text the context carries (matched to the question, or on screen during its tokens), by time. */
  public List<TextHit> texts() {
    return selection.texts();
  }

  public List<SegmentScore> segments() {
    return selection.segments();
  }

  public List<StageStats> stats() {
    return stats;
  }

  public long videoStartMicros() {
    return videoStartMicros;
  }

  public long videoEndMicros() {
    return videoEndMicros;
  }

  public List<Keyframe> keyframes() {
    return keyframes;
  }

  /** A copy of the query vectors the tokens were matched with (none for a coverage-only context). */
  public float[][] queryVectors() {
    final float[][] out = new float[queryVectors.length][];
    for (int l = 0; l < out.length; l++) {
      out[l] = queryVectors[l].clone();
    }
    return out;
  }

  /** The same context with other keyframes (typically the same ones with their JPEG bytes). */
  public VideoContext withKeyframes(final List<Keyframe> frames) {
    return new VideoContext(streamId, model, question, queryKind, notes, selection, stats, videoStartMicros,
        videoEndMicros, frames, queryVectors, textRead);
  }

  /**
   * Whether on-screen text was read (OCR ran over the video's frames), even where none was found or
   * matched: then "no option is on screen" is an answer, not a question the answerer cannot take.
   */
  public boolean textRead() {
    return textRead || !selection.texts().isEmpty();
  }

  /** The same context, marked as made with on-screen text read (or not). */
  public VideoContext withTextRead(final boolean read) {
    return new VideoContext(streamId, model, question, queryKind, notes, selection, stats, videoStartMicros,
        videoEndMicros, keyframes, queryVectors, read);
  }

  @Override
  public String toString() {
    return "VideoContext[" + streamId + ", " + queryKind + ", " + selection + ", " + keyframes.size() + " keyframes]";
  }
}
