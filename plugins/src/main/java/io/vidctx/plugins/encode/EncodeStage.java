package io.vidctx.plugins.encode;

/**
 * Settings of the encode stage.
 *
 * @param warnFraction warn when the slowest recent frame times {@code max.poll.records} exceeds this
 *     share of {@code max.poll.interval.ms}: the Streams thread could be fenced out of its group
 */
public record EncodeStage(double warnFraction) {
  public static final String NAME = "encode";
  public static final EncodeStage DEFAULTS = new EncodeStage(0.5);

  public EncodeStage {
    if (!(warnFraction > 0 && warnFraction <= 1)) {
      throw new IllegalArgumentException("warnFraction must be in (0, 1], was " + warnFraction);
    }
  }
}
