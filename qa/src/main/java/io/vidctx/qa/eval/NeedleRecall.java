package io.vidctx.qa.eval;

/**
 * Model-free needle recall of one context, from token provenance (ANCHORS E1): how much of the needle
 * survived compression and selection, whatever the answerer made of it.
 *
 * <p>Provenance is the bounded source map of {@code TokenBlock}: a token's frame range and the set of
 * grid cells it absorbed. A token "covers" needle patch (frame f, cell c) when f lies in its frame
 * range and c in its cell set; its needle mass is its weight times the share of its frame range that
 * is needle frames (the source map does not say which of its frames each absorbed patch came from,
 * so mass is spread evenly over the range).
 *
 * @param hit whether at least one token of the context covers a needle patch
 * @param coverage covered needle patches / (patches per frame x needle frames), in [0, 1]
 * @param purity needle mass / total mass of the needle-covering tokens, in [0, 1]; 0 without a hit
 * @param tokens how many tokens of the context cover a needle patch
 */
public record NeedleRecall(boolean hit, double coverage, double purity, int tokens) {

  public static final NeedleRecall MISS = new NeedleRecall(false, 0, 0, 0);

  public NeedleRecall {
    if (!(coverage >= 0 && coverage <= 1) || !(purity >= 0 && purity <= 1)) {
      throw new IllegalArgumentException("coverage and purity must be in [0, 1], were " + coverage + ", " + purity);
    }
    if (tokens < 0 || hit != tokens > 0) {
      throw new IllegalArgumentException("hit (" + hit + ") must mean tokens > 0 (" + tokens + ")");
    }
  }
}
