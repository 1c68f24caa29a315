package io.vidctx.tokencompress.select;

import io.vidctx.encoder.ocr.TextToken;
import java.util.Objects;

/**
 * A text token (on-screen text) a selection carries, with how well it matched the query.
 *
 * @param index its index in the memory's text tokens
 * @param token the text with its span, box, confidence and readings
 * @param score the best score of the query's phrases against it, in [0, 1] (0 without phrases)
 * @param matched whether the score reached the selector's match threshold (else it is carried as the
 *     text on screen during the selected tokens)
 */
public record TextHit(int index, TextToken token, float score, boolean matched) {

  public TextHit {
    Objects.requireNonNull(token, "token");
  }
}
