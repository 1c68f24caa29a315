/**
 * Readers for the public long-video QA benchmarks (EgoSchema, MLVU dev multiple choice, Video-MME,
 * LongVideoBench, NExT-QA multiple choice): each turns the user's local copy of a benchmark into
 * {@link io.vidctx.qa.eval.EvalItem}s with absolute video paths, benchmark-prefixed ids, the task used
 * to group accuracy and the source fields worth reporting in {@code meta}. Layouts are documented in
 * the module README; {@link io.vidctx.qa.eval.bench.Benchmarks} finds a reader by name.
 */
@NullMarked
package io.vidctx.qa.eval.bench;

import org.jspecify.annotations.NullMarked;
