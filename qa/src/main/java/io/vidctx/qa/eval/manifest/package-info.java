/**
 * The evaluation manifest: a JSONL file of {@link io.vidctx.qa.eval.EvalItem}s, one JSON object per
 * line, read strictly (unknown fields, duplicate ids and inconsistent answers are errors naming the
 * line) so that a typo never silently drops data. The format is documented in the module README.
 */
@NullMarked
package io.vidctx.qa.eval.manifest;

import org.jspecify.annotations.NullMarked;
