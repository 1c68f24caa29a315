/**
 * Stage 5: the bounded, per-stream video memory (recent window, representative units at full
 * resolution, time-ordered weighted synopsis per segment) that compressed units flow into.
 */
package io.vidctx.tokencompress.memory;
