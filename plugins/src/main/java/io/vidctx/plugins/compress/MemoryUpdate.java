package io.vidctx.plugins.compress;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the compress stage emits after each frame it applied (JSON on the memory-updates topic, key:
 * stream id): enough to watch a stream's memory grow, and to measure publish-to-memory latency (the
 * record timestamp is the frame record's).
 *
 * @param frameIndex the frame just applied
 * @param ptsMicros its presentation time
 * @param framesIn frames of this stream applied so far
 * @param memoryTokens tokens in the stream's memory now (the unit in progress not included)
 * @param checkpointed whether this frame wrote a full checkpoint of the memory
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MemoryUpdate(String streamId, long frameIndex, long ptsMicros, long framesIn, int memoryTokens,
    boolean checkpointed) {}
