package io.vidctx.qa.eval.report;

import io.vidctx.qa.eval.EvalItem;
import io.vidctx.qa.eval.ItemResult;
import org.jspecify.annotations.Nullable;

/**
 * A result the report draws a timeline for: answered wrong, unparseable, failed, or (for a needle
 * item) answered with a time outside the needle.
 *
 * @param item the result's item, or null when the manifest does not have it
 * @param result the result
 */
public record Failure(@Nullable EvalItem item, ItemResult result) {
}
