/**
 * Token merge kernels on flat float arrays: spatial reduction against anchor frames (LongVU STC),
 * bipartite soft matching (ToMe, as in VideoChat-Flash's clip level) and deterministic weighted
 * k-means (Flash-VStream's synopsis memory).
 *
 * <p>Every kernel follows one output convention, held by {@link io.vidctx.tokencompress.merge.MergeOutput}:
 * over n input tokens it produces m outputs and, for every input i, {@code assignment[i]} in
 * [0, m), the output that input went into, so provenance can be applied exactly downstream.
 * Output embeddings are size-weighted means of their members and output weights the sums of their
 * members' weights. Kernel instances own scratch buffers and are not thread-safe: use one per
 * thread (or per stream).
 */
@NullMarked
package io.vidctx.tokencompress.merge;

import org.jspecify.annotations.NullMarked;
