/**
 * The text channel of a memory: on-screen text read by OCR, kept as text tokens with time spans
 * ({@link io.vidctx.tokencompress.text.TextMemory}, bounded like the visual memory), and lexical
 * matching of a question's words against them ({@link io.vidctx.tokencompress.text.LexicalIndex}).
 */
@NullMarked
package io.vidctx.tokencompress.text;

import org.jspecify.annotations.NullMarked;
