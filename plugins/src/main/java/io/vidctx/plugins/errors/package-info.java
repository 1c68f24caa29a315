/** Dead-letter routing: bad records leave the topology with the reason in headers; the app keeps running. */
@NullMarked
package io.vidctx.plugins.errors;

import org.jspecify.annotations.NullMarked;
