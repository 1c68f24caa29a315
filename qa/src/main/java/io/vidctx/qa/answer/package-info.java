/** Answerers: clients for external vision-language models and the replies they parse. */
@NullMarked
package io.vidctx.qa.answer;

import org.jspecify.annotations.NullMarked;
