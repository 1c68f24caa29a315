/** Answerers: the built-in embedding answerer and a client for OpenAI-compatible chat endpoints. */
@NullMarked
package io.vidctx.qa.answer;

import org.jspecify.annotations.NullMarked;
