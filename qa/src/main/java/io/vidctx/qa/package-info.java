/** The compact VideoContext handed to QA models, answerers and the evaluation harness. */
@NullMarked
package io.vidctx.qa;

import org.jspecify.annotations.NullMarked;
