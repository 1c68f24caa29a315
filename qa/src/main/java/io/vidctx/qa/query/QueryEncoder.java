package io.vidctx.qa.query;

import io.vidctx.encoder.FrameTokens;
import io.vidctx.encoder.TextEncoder;
import io.vidctx.encoder.VisionEncoder;
import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.VideoFrame;
import io.vidctx.ingest.image.DecodedImage;
import io.vidctx.ingest.image.ImageCodec;
import io.vidctx.qa.QueryKind;
import io.vidctx.tokencompress.CompressedUnit;
import io.vidctx.tokencompress.CompressorConfig;
import io.vidctx.tokencompress.StreamingCompressor;
import io.vidctx.tokencompress.TokenBlock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/*
 * Design: an example image is encoded by the video's own vision encoder and its patch tokens go
 * through the same spatial reduction and merge as a video frame (stages 3-4), so the query vectors
 * look like the memory's tokens (16 merged tokens for a 14x14 grid, the global alone for a 1x1 grid).
 * Per-vector softmax in the selector then rewards distinctive parts of the image: a generic patch
 * (flat sky) spreads its mass over many tokens, a distinctive one concentrates it on the match.
 */
/**
 * Turns a question's text and optional example image into query vectors: text through the CLIP-family
 * text tower when one is configured, the image through the vision encoder. A text question without a
 * text tower falls back to a coverage-only selection, and says so in the notes.
 */
public final class QueryEncoder {
  /** What a text question without a text tower is told. */
  public static final String NO_TEXT_TOWER = "the question text is not matched against the video: text-to-pixel"
      + " matching needs a CLIP-family model with a text tower (see 'vidctx models list')";

  private final VisionEncoder vision;
  private final @Nullable TextEncoder text;
  private final CompressorConfig compression;

  /**
   * @param vision the encoder that encoded the video (its tokens and the query's must share a space)
   * @param text the matching text tower, or null when the model has none (the built-in encoder)
   * @param compression the video's compression settings: the image's tokens are merged the same way
   */
  public QueryEncoder(final VisionEncoder vision, final @Nullable TextEncoder text,
      final CompressorConfig compression) {
    this.vision = vision;
    this.text = text;
    this.compression = compression;
  }

  /**
   * Encodes a question with an optional example image file.
   *
   * @throws IllegalArgumentException when the image file is missing or cannot be decoded (the message
   *     names it)
   */
  public EncodedQuery encode(final String question, final @Nullable Path image) {
    if (image == null) {
      return encode(question, (DecodedImage) null);
    }
    if (!Files.isRegularFile(image)) {
      throw new IllegalArgumentException("query image " + image + " does not exist or is not a file");
    }
    final DecodedImage decoded;
    try {
      decoded = new ImageCodec().read(image);
    } catch (final IngestException | IllegalArgumentException e) {
      throw new IllegalArgumentException("query image " + image + " cannot be decoded (" + e.getMessage()
          + "): use a JPEG, PNG, BMP or WebP picture", e);
    }
    return encode(question, decoded);
  }

  /** Encodes a question with an optional decoded example image. */
  public EncodedQuery encode(final String question, final @Nullable DecodedImage image) {
    if (question == null || question.isBlank()) {
      throw new IllegalArgumentException("the question is empty: ask something (\"when does the dog appear?\")");
    }
    final List<float[]> vectors = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    if (text != null) {
      vectors.add(text.embed(question.strip()));
    }
    if (image != null) {
      vectors.addAll(imageVectors(image));
    }
    final QueryKind kind;
    if (text != null && image != null) {
      kind = QueryKind.TEXT_AND_IMAGE;
    } else if (text != null) {
      kind = QueryKind.TEXT;
    } else if (image != null) {
      kind = QueryKind.IMAGE;
      notes.add(NO_TEXT_TOWER + "; the selection matches the example image only");
    } else {
      kind = QueryKind.COVERAGE;
      notes.add(NO_TEXT_TOWER + "; the selection covers the whole timeline instead (pass --image FILE to match"
          + " an example picture)");
    }
    return new EncodedQuery(vectors.toArray(new float[0][]), kind, notes);
  }

  /** The image's tokens after the video's spatial reduction and merge. */
  public List<float[]> imageVectors(final DecodedImage image) {
    final VideoFrame frame = new VideoFrame("query", 0, 0, image.width(), image.height(), image.rgb());
    final FrameTokens tokens = vision.encode(List.of(frame)).get(0);
    final List<CompressedUnit> units = StreamingCompressor.compressAll(List.of(tokens), compression);
    final List<float[]> out = new ArrayList<>();
    for (final CompressedUnit u : units) {
      final TokenBlock b = u.tokens();
      for (int i = 0; i < b.size(); i++) {
        final float[] v = new float[b.dim()];
        b.copyEmbedding(i, v, 0);
        out.add(v);
      }
    }
    if (out.isEmpty()) {
      out.add(tokens.global().clone());
    }
    return out;
  }
}
