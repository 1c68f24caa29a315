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
 * @param lastPtsMicros time of the last decoded picture, -1 before the first
 */
public record DecodeStats(
    long decoded, long delivered, long sampledOut, long outOfOrder, long unconvertible, long lastPtsMicros) {}
