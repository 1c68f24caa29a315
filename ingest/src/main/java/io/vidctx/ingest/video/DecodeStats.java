package io.vidctx.ingest.video;

/**
 * What a {@link VideoFileSource} has done so far, for reports and progress lines.
 *
 * <p>Invariants: {@code delivered <= decoded}; {@code decoded = delivered + sampledOut + outOfOrder +
 * unconvertible + (frames before the start or past the end that were decoded)}; all counts are never
 * negative.
 *
 * @param decoded pictures the decoder produced (after any seek)
 * @param delivered frames handed out by {@code next()}
 * @param sampledOut pictures skipped by fps sampling
 * @param outOfOrder pictures dropped because their time was not after the last delivered one
 * @param unconvertible pictures the scaler rejected (skipped, decoding went on)
 * @param gaps jumps of more than 2.5 frame intervals between consecutive decoded pictures: damaged
 *     stretches whose packets were dropped (or pauses of a variable-rate source)
 * @param missingFrames frames those gaps would have held at the nominal rate (an estimate)
 * @param lastPtsMicros time of the last decoded picture, -1 before the first
 */
public record DecodeStats(
    long decoded, long delivered, long sampledOut, long outOfOrder, long unconvertible, long gaps, long missingFrames,
    long lastPtsMicros) {}
