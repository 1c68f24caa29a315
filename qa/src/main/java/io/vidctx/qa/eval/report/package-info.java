/**
 * The evaluation report: {@link io.vidctx.qa.eval.report.Aggregates} turns a run's items and results
 * into per-method, per-task and length x depth statistics, and {@link io.vidctx.qa.eval.report.HtmlReport}
 * renders them as one self-contained HTML file (inline CSS and SVG, nothing fetched), so a report can
 * be mailed, archived or opened on a machine without network.
 */
@NullMarked
package io.vidctx.qa.eval.report;

import org.jspecify.annotations.NullMarked;
