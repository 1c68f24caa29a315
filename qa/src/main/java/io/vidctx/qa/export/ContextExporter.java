package io.vidctx.qa.export;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vidctx.encoder.ocr.TextToken;
import io.vidctx.qa.Answer;
import io.vidctx.qa.EvidenceRange;
import io.vidctx.qa.Keyframe;
import io.vidctx.qa.VideoContext;
import io.vidctx.qa.frames.KeyframeGrabber;
import io.vidctx.tokencompress.StageStats;
import io.vidctx.tokencompress.TokenBlock;
import io.vidctx.tokencompress.select.SegmentScore;
import io.vidctx.tokencompress.select.Selection;
import io.vidctx.tokencompress.select.SelectionStats;
import io.vidctx.tokencompress.select.TextHit;
import io.vidctx.tokencompress.select.TimeRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link VideoContext} for Python VLM stacks and for people: {@code context.json} (metadata,
 * schema in the module README, version {@value #SCHEMA_VERSION}), {@code tokens.npy} (float32 [n,
 * dim], the selected embeddings in time order; row i is {@code tokens[i]} of the JSON), {@code
 * query.npy} (float32 [L, dim], when the context has query vectors) and, for keyframes that carry
 * their JPEG, {@code keyframes/*.jpg}.
 */
public final class ContextExporter {
  /** The JSON schema version written in {@code "version"}. */
  public static final int SCHEMA_VERSION = 1;
  public static final String JSON = "context.json";
  public static final String TOKENS = "tokens.npy";
  public static final String QUERY = "query.npy";
  public static final String KEYFRAMES = "keyframes";

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .setSerializationInclusion(JsonInclude.Include.ALWAYS);

  /** What was written. */
  public record Written(Path json, Path tokens, @Nullable Path query, List<Path> keyframes) {}

  record Doc(String format, int version, String streamId, String model, @Nullable String video, QuestionDoc question,
      QueryDoc query, Span videoSpan, SelectionDoc selection, TokensDoc tokens, List<SegmentDoc> segments,
      List<StageDoc> stats, List<KeyframeDoc> keyframes, List<TextDoc> texts, @Nullable AnswerDoc answer) {}

  /** An on-screen text token: what it says, when, where (frame pixels) and how it matched the question. */
  record TextDoc(String text, long startMicros, long endMicros, String start, String end, int x0, int y0, int x1,
      int y1, float confidence, int readings, float score, boolean matched) {}

  private static List<TextDoc> texts(final VideoContext context) {
    final List<TextDoc> out = new ArrayList<>();
    for (final TextHit h : context.texts()) {
      final TextToken t = h.token();
      out.add(new TextDoc(t.text(), t.startMicros(), t.endMicros(), TimeRange.format(t.startMicros()),
          TimeRange.format(t.endMicros()), t.box().x0(), t.box().y0(), t.box().x1(), t.box().y1(), t.confidence(),
          t.readings(), h.score(), h.matched()));
    }
    return out;
  }

  record Span(long startMicros, long endMicros, String start, String end) {
    static Span of(final long s, final long e) {
      return new Span(s, e, TimeRange.format(s), TimeRange.format(e));
    }
  }

  record QuestionDoc(String text, List<String> choices, @Nullable Span range) {}

  record QueryDoc(String kind, int vectors, @Nullable String file, List<String> notes) {}

  record SelectionDoc(String mode, int memoryTokens, int candidates, int scored, double entropy, double peak,
      double ratio, int wanted, int budget, int quota, int kept, long patchTokensIn, double reduction,
      double millis) {}

  record TokensDoc(int count, int dim, String file, String dtype, List<TokenDoc> items) {}

  record TokenDoc(int i, long startMicros, long endMicros, String start, String end, long firstFrame, long lastFrame,
      int row, int col, float weight, int segment, int memoryIndex, @Nullable Float similarity, float relevance) {}

  record SegmentDoc(int segment, long startMicros, long endMicros, String start, String end, int memoryTokens,
      int candidates, int selected, long weight, @Nullable Float descriptorSimilarity,
      @Nullable Float bestSimilarity) {}

  record StageDoc(String stage, long framesIn, long framesOut, long tokensIn, long tokensOut, double reduction,
      double millis) {}

  record KeyframeDoc(long ptsMicros, String time, double share, @Nullable Float similarity, @Nullable String file) {}

  record AnswerDoc(String status, String text, @Nullable String letter, int choice, @Nullable Double confidence,
      List<Span> evidence, @Nullable Span at, String answerer, @Nullable String raw, double millis) {}

  private ContextExporter() {}

  /**
   * Writes the context (and the answer, when given) into {@code dir}, creating it; files of an
   * earlier export there are replaced.
   *
   * @param video the video location, recorded in the JSON (null when unknown)
   */
  public static Written export(final VideoContext context, final @Nullable Answer answer, final @Nullable String video,
      final Path dir) throws IOException {
    Files.createDirectories(dir);
    final Selection sel = context.selection();
    final TokenBlock t = sel.tokens();
    final int n = t.size();
    final int d = t.dim();
    final Path tokensFile = dir.resolve(TOKENS);
    NpyFile.writeFloat32(tokensFile, t.embeddings(), n, d);
    final float[][] q = context.queryVectors();
    Path queryFile = null;
    if (q.length > 0) {
      final float[] flat = new float[q.length * d];
      for (int l = 0; l < q.length; l++) {
        System.arraycopy(q[l], 0, flat, l * d, d);
      }
      queryFile = dir.resolve(QUERY);
      NpyFile.writeFloat32(queryFile, flat, q.length, d);
    }
    final List<Keyframe> withImages = context.keyframes().stream().filter(Keyframe::hasImage).toList();
    final List<Path> frames = withImages.isEmpty() ? List.of()
        : KeyframeGrabber.writeAll(withImages, dir.resolve(KEYFRAMES));

    final int[] memIdx = sel.memoryIndex();
    final int[] seg = sel.segment();
    final float[] sim = sel.similarity();
    final float[] rel = sel.relevance();
    final List<TokenDoc> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      items.add(new TokenDoc(i, t.startPts(i), t.endPts(i), TimeRange.format(t.startPts(i)),
          TimeRange.format(t.endPts(i)), t.firstFrame(i), t.lastFrame(i), t.row(i), t.col(i), t.weight(i), seg[i],
          memIdx[i], finite(sim[i]), rel[i]));
    }
    final List<SegmentDoc> segments = new ArrayList<>();
    for (final SegmentScore s : sel.segments()) {
      segments.add(new SegmentDoc(s.segment(), s.startPts(), s.endPts(), TimeRange.format(s.startPts()),
          TimeRange.format(s.endPts()), s.memoryTokens(), s.candidates(), s.selected(), s.weight(),
          finite(s.descriptorSimilarity()), finite(s.bestSimilarity())));
    }
    final List<StageDoc> stats = new ArrayList<>();
    for (final StageStats s : context.stats()) {
      stats.add(new StageDoc(s.stage(), s.framesIn(), s.framesOut(), s.tokensIn(), s.tokensOut(), s.reduction(),
          s.nanos() / 1e6));
    }
    final List<KeyframeDoc> keyframes = new ArrayList<>();
    int f = 0;
    for (final Keyframe k : context.keyframes()) {
      final String file = k.hasImage() ? dir.relativize(frames.get(f++)).toString().replace('\\', '/') : null;
      keyframes.add(new KeyframeDoc(k.ptsMicros(), TimeRange.format(k.ptsMicros()), k.share(), finite(k.similarity()),
          file));
    }
    final SelectionStats st = sel.stats();
    final var range = context.question().range();
    final Doc doc = new Doc("vidctx.context", SCHEMA_VERSION, context.streamId(), context.model(), video,
        new QuestionDoc(context.question().text(), context.question().choices(),
            range == null ? null : Span.of(range.startMicros(), range.endMicros())),
        new QueryDoc(context.queryKind().name(), q.length, queryFile == null ? null : QUERY, context.notes()),
        Span.of(context.videoStartMicros(), context.videoEndMicros()),
        new SelectionDoc(st.mode().name(), st.memoryTokens(), st.candidates(), st.scored(), st.entropy(), st.peak(),
            st.ratio(), st.wanted(), st.cap(), st.quota(), st.kept(), sel.patchTokensIn(), sel.reduction(),
            st.nanos() / 1e6),
        new TokensDoc(n, d, TOKENS, "float32", items), segments, stats, keyframes, texts(context),
        answer == null ? null : answerDoc(answer));
    final Path json = dir.resolve(JSON);
    MAPPER.writeValue(json.toFile(), doc);
    return new Written(json, tokensFile, queryFile, frames);
  }

  private static AnswerDoc answerDoc(final Answer a) {
    final List<Span> evidence = new ArrayList<>();
    for (final EvidenceRange e : a.evidence()) {
      evidence.add(Span.of(e.startMicros(), e.endMicros()));
    }
    return new AnswerDoc(a.status().name(), a.text(), a.choice() >= 0 ? a.letter() : null, a.choice(),
        Double.isNaN(a.confidence()) ? null : a.confidence(), evidence,
        a.atMicros() < 0 ? null : Span.of(a.atMicros(), a.atMicros()), a.answerer(), a.raw(), a.nanos() / 1e6);
  }

  /** JSON has no NaN: absent values are null. */
  private static @Nullable Float finite(final float v) {
    return Float.isFinite(v) ? v : null;
  }
}
