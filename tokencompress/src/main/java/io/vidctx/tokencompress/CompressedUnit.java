package io.vidctx.tokencompress;

/**
 * One compressed chunk of a stream: up to {@code spatial.chunkFrames} kept frames of one segment,
 * spatially reduced against the chunk's first frame and merged to at most {@code
 * merge.tokensPerFrame} tokens per kept frame. Tokens are in time order; their weights add up to
 * every original patch token the chunk absorbed, dropped near-duplicate frames included.
 *
 * @param segment 0-based index of the scene this chunk belongs to
 * @param keptFrames kept frames in the chunk
 * @param tokens the chunk's tokens
 */
public record CompressedUnit(long segment, int keptFrames, TokenBlock tokens) {}
