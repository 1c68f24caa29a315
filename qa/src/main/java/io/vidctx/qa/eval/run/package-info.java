/**
 * Running an evaluation: {@link io.vidctx.qa.eval.run.EvalRunner} answers every item of a manifest with
 * each method, caching encoded haystacks and compressed memories, and appends each result to a
 * {@link io.vidctx.qa.eval.run.ResultLog} as it goes, so an interrupted run resumes where it stopped.
 */
@NullMarked
package io.vidctx.qa.eval.run;

import org.jspecify.annotations.NullMarked;
