package io.vidctx.qa;

/** What the selection compared the video with. */
public enum QueryKind {
  /** The question text, through a CLIP-family text tower. */
  TEXT,
  /** An example image, through the vision encoder. */
  IMAGE,
  /** Both: a token's relevance is the larger of the two. */
  TEXT_AND_IMAGE,
  /** Nothing to compare with (a text question and an encoder without a text tower): coverage only. */
  COVERAGE
}
