package io.vidctx.encoder;

import java.util.List;

/**
 * Turns query texts into embeddings comparable with the global embeddings of the matching vision
 * encoder (a CLIP-family text tower). Holds a model: close it. Implementations are thread-safe.
 */
public interface TextEncoder extends AutoCloseable {

  /** One {@code float[dim()]} embedding per text, in the same order; an empty list gives none. */
  float[][] embed(List<String> texts);

  /** The embedding of one text. */
  default float[] embed(final String text) {
    return embed(List.of(text))[0];
  }

  /** Embedding width. */
  int dim();

  /** Releases the model; idempotent. Calls after close fail with {@link IllegalStateException}. */
  @Override
  void close();
}
