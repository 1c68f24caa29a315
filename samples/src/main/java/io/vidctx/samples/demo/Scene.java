package io.vidctx.samples.demo;

/**
 * One scene of the demo video: frames {@code [firstFrame, firstFrame + frameCount)}, shown from
 * {@code startMicros} (inclusive) to {@code endMicros} (exclusive).
 */
public record Scene(int index, long firstFrame, long frameCount, long startMicros, long endMicros, String description) {}
