package io.vidctx.samples.cli;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.RuntimeOptions;
import io.vidctx.encoder.builtin.BuiltinModel;
import io.vidctx.encoder.onnx.OnnxVisionEncoder;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.qa.Answer;
import io.vidctx.qa.ContextBuilder;
import io.vidctx.qa.Question;
import io.vidctx.qa.VideoContext;
import io.vidctx.qa.answer.EmbeddingChoiceAnswerer;
import io.vidctx.qa.query.EncodedQuery;
import io.vidctx.qa.query.QueryEncoder;
import io.vidctx.tokencompress.CompressorConfig;
import io.vidctx.tokencompress.HierarchicalCompressor;
import io.vidctx.tokencompress.VideoMemory;
import io.vidctx.tokencompress.select.QueryAwareSelector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's encode and compress stages: frames read back from Kafka go through the built-in encoder
 * in batches as they arrive and straight into the hierarchical compressor; of each frame only the
 * global embedding is kept besides, so memory does not grow with the frames' pixels. Then a question
 * by example image goes through selection and the embedding answerer.
 */
final class DemoEncoding implements AutoCloseable {
  private final OnnxVisionEncoder encoder;
  private final List<VideoFrame> pending = new ArrayList<>();
  private final List<float[]> globals = new ArrayList<>();
  private final List<Long> pts = new ArrayList<>();
  private long tokens;
  private int gridH;
  private int gridW;
  private long nanos;
  private final HierarchicalCompressor compressor = new HierarchicalCompressor(CompressorConfig.DEFAULTS);
  private long compressNanos;
  private boolean finished;

  DemoEncoding(final Path modelsDir) {
    this.encoder = OnnxVisionEncoder.open(BuiltinModel.ensure(modelsDir), RuntimeOptions.DEFAULTS);
  }

  void accept(final VideoFrame frame) {
    pending.add(frame);
    if (pending.size() == RuntimeOptions.DEFAULTS.batchSize()) {
      flush();
    }
  }

  void flush() {
    if (pending.isEmpty()) {
      return;
    }
    final long t = System.nanoTime();
    final List<FrameTokens> encoded = encoder.encode(pending);
    nanos += System.nanoTime() - t;
    final long tc = System.nanoTime();
    for (final FrameTokens ft : encoded) {
      compressor.accept(ft);
    }
    compressNanos += System.nanoTime() - tc;
    for (final FrameTokens ft : encoded) {
      globals.add(ft.global());
      pts.add(ft.ptsMicros());
      tokens += ft.patchCount();
      gridH = ft.gridH();
      gridW = ft.gridW();
    }
    pending.clear();
  }

  /** The compressed memory of every frame accepted (flushes the encoder and the compressor once). */
  VideoMemory memory() {
    flush();
    if (!finished) {
      final long tc = System.nanoTime();
      compressor.flush();
      compressNanos += System.nanoTime() - tc;
      finished = true;
    }
    return compressor.snapshot();
  }

  long compressNanos() {
    return compressNanos;
  }

  /**
   * Asks "when does this picture appear?" with an example image, through the same path as {@code
   * vidctx ask --image}: the image's merged tokens as the query, query-aware selection within {@code
   * budget}, the embedding answerer's grounding.
   */
  Asked ask(final VideoMemory memory, final DecodedImage example, final int budget) {
    final String text = "When does this picture appear?";
    final EncodedQuery query = new QueryEncoder(encoder, null, CompressorConfig.DEFAULTS).encode(text, example);
    final VideoContext context = new ContextBuilder(new QueryAwareSelector(), ContextBuilder.DEFAULT_KEYFRAMES)
        .build(memory, BuiltinModel.NAME, Question.open(text), query, budget);
    final Answer answer = new EmbeddingChoiceAnswerer(null).answer(context.question(), context);
    return new Asked(context, answer);
  }

  /** A question's context and answer. */
  record Asked(VideoContext context, Answer answer) {}

  int frames() {
    return globals.size();
  }

  long patchTokens() {
    return tokens;
  }

  String grid() {
    return gridH + "x" + gridW + "x" + encoder.dim();
  }

  long nanos() {
    return nanos;
  }

  /**
   * How many cuts fall between consecutive encoded frames whose global embeddings are less alike
   * than any two consecutive frames within a scene (cosine below the within-scene minimum).
   */
  int cutsSeen(final List<Long> cutsMicros) {
    double withinMin = Double.MAX_VALUE;
    final double[] cos = new double[Math.max(0, globals.size() - 1)];
    final boolean[] straddles = new boolean[cos.length];
    for (int i = 0; i < cos.length; i++) {
      cos[i] = Embeddings.cosine(globals.get(i), globals.get(i + 1));
      straddles[i] = DemoCommand.straddlesCut(pts.get(i), pts.get(i + 1), cutsMicros);
      if (!straddles[i]) {
        withinMin = Math.min(withinMin, cos[i]);
      }
    }
    int seen = 0;
    for (int i = 0; i < cos.length; i++) {
      if (straddles[i] && cos[i] < withinMin) {
        seen++;
      }
    }
    return seen;
  }

  @Override
  public void close() {
    encoder.close();
  }
}
