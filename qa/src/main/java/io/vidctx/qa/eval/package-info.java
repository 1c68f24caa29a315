/**
 * The evaluation harness: the manifest model ({@link io.vidctx.qa.eval.EvalItem}, one question about
 * one video, with optional needle ground truth), the result model ({@link io.vidctx.qa.eval.ItemResult},
 * one item answered by one {@link io.vidctx.qa.eval.Method}), and in sub-packages the JSONL manifest
 * and benchmark readers ({@code manifest}, {@code bench}), the needle-in-a-video-haystack generator
 * ({@code niah}), the runner with its caches and resumable result log ({@code run}) and the HTML
 * report ({@code report}).
 */
@NullMarked
package io.vidctx.qa.eval;

import org.jspecify.annotations.NullMarked;
