package io.vidctx.tokencompress.select;

/**
 * Settings of {@link QueryAwareSelector}; {@link #DEFAULTS} documents the defaults.
 *
 * <p>Relevance: token j's relevance is the maximum over query vectors of the softmax, over the
 * candidate tokens, of cosine / {@code temperature}. Budget: the kept share of the candidates is
 * {@code ρ = minRatio + (maxRatio - minRatio) · σ(entropyWeight · H + peakWeight · max r + bias)},
 * where H is the relevance entropy normalised by log M: a flat relevance (a question about the whole
 * video) keeps more, a peaked one (a question about one moment) less. A {@code fixedRatio} in (0, 1]
 * replaces the formula. The count is then capped by the caller's token budget.
 *
 * @param minRatio smallest kept share of the candidates, QTSplus's ρmin (0.05)
 * @param maxRatio largest kept share, QTSplus's ρmax (0.5)
 * @param entropyWeight weight of the normalised entropy in the budget logit (4)
 * @param peakWeight weight of the largest relevance in the budget logit (-2)
 * @param bias constant of the budget logit (-2); with the two weights above, ANCHORS S5's heuristic
 * @param fixedRatio 0 for the adaptive ratio, else the kept share used for every query
 * @param temperature softmax temperature on cosine similarities; 0 (the default) means 1/√dim, the
 *     spread of the cosine between random directions, so an unrelated token's logit varies by about
 *     1 whatever the model's width (ANCHORS S5)
 * @param coveragePerSegment tokens reserved for every segment before relevance fills the rest (1;
 *     0 turns the coverage quota off). With query vectors the quota takes at most half of the kept
 *     tokens (then it goes to evenly spaced segments), so relevance always keeps the other half
 * @param fineCandidates coarse-to-fine: when the candidates exceed this many tokens, segments are
 *     ranked by their descriptor first and only the tokens of the best segments (at least this many
 *     tokens, and at least 4 × the count to keep) are scored one by one (16,384)
 * @param textMatch a text token (on-screen text) matches the query when a phrase scores at least
 *     this against it ({@link io.vidctx.tokencompress.text.LexicalIndex}: the weighted share of the
 *     phrase's character grams found in the text; 0.5)
 * @param textTemperature softmax temperature of the text channel's relevance over the candidates
 *     (0.1: a full match outweighs no match by e^10, a half match by e^5)
 * @param maxTextTokens the most text tokens a selection carries: the matched ones first, best first,
 *     then the text on screen during the selected visual tokens (32)
 */
public record SelectorConfig(double minRatio, double maxRatio, double entropyWeight, double peakWeight, double bias,
    double fixedRatio, double temperature, int coveragePerSegment, int fineCandidates, double textMatch,
    double textTemperature, int maxTextTokens) {

  public static final SelectorConfig DEFAULTS = new SelectorConfig(0.05, 0.5, 4, -2, -2, 0, 0, 1, 16_384, 0.5, 0.1,
      32);

  public SelectorConfig {
    if (!(minRatio > 0) || !(maxRatio >= minRatio) || maxRatio > 1) {
      throw new IllegalArgumentException("need 0 < minRatio <= maxRatio <= 1, was " + minRatio + ", " + maxRatio);
    }
    if (!Double.isFinite(entropyWeight) || !Double.isFinite(peakWeight) || !Double.isFinite(bias)) {
      throw new IllegalArgumentException("budget weights must be finite");
    }
    if (!(fixedRatio >= 0) || fixedRatio > 1) {
      throw new IllegalArgumentException("fixedRatio must be in [0, 1] (0 = adaptive), was " + fixedRatio);
    }
    if (!(temperature >= 0) || !Double.isFinite(temperature)) {
      throw new IllegalArgumentException("temperature must be >= 0 (0 = 1/sqrt(dim)), was " + temperature);
    }
    if (coveragePerSegment < 0) {
      throw new IllegalArgumentException("coveragePerSegment must be >= 0, was " + coveragePerSegment);
    }
    if (fineCandidates < 1) {
      throw new IllegalArgumentException("fineCandidates must be >= 1, was " + fineCandidates);
    }
    if (!(textMatch > 0) || textMatch > 1) {
      throw new IllegalArgumentException("textMatch must be in (0, 1], was " + textMatch);
    }
    if (!(textTemperature > 0) || !Double.isFinite(textTemperature)) {
      throw new IllegalArgumentException("textTemperature must be > 0, was " + textTemperature);
    }
    if (maxTextTokens < 0) {
      throw new IllegalArgumentException("maxTextTokens must be >= 0, was " + maxTextTokens);
    }
  }

  public SelectorConfig withFixedRatio(final double ratio) {
    return new SelectorConfig(minRatio, maxRatio, entropyWeight, peakWeight, bias, ratio, temperature,
        coveragePerSegment, fineCandidates, textMatch, textTemperature, maxTextTokens);
  }

  public SelectorConfig withMaxTextTokens(final int n) {
    return new SelectorConfig(minRatio, maxRatio, entropyWeight, peakWeight, bias, fixedRatio, temperature,
        coveragePerSegment, fineCandidates, textMatch, textTemperature, n);
  }

  public SelectorConfig withTemperature(final double t) {
    return new SelectorConfig(minRatio, maxRatio, entropyWeight, peakWeight, bias, fixedRatio, t,
        coveragePerSegment, fineCandidates, textMatch, textTemperature, maxTextTokens);
  }

  public SelectorConfig withCoveragePerSegment(final int n) {
    return new SelectorConfig(minRatio, maxRatio, entropyWeight, peakWeight, bias, fixedRatio, temperature, n,
        fineCandidates, textMatch, textTemperature, maxTextTokens);
  }

  public SelectorConfig withFineCandidates(final int n) {
    return new SelectorConfig(minRatio, maxRatio, entropyWeight, peakWeight, bias, fixedRatio, temperature,
        coveragePerSegment, n, textMatch, textTemperature,
        maxTextTokens);
  }

  /** The softmax temperature for tokens of width {@code dim}. */
  public double temperatureFor(final int dim) {
    return temperature > 0 ? temperature : 1 / Math.sqrt(dim);
  }

  /** The kept share for a relevance with normalised entropy {@code h} and largest value {@code peak}. */
  public double ratio(final double h, final double peak) {
    if (fixedRatio > 0) {
      return fixedRatio;
    }
    final double z = entropyWeight * h + peakWeight * peak + bias;
    final double s = 1 / (1 + Math.exp(-z));
    return Math.min(maxRatio, Math.max(minRatio, minRatio + (maxRatio - minRatio) * s));
  }
}
