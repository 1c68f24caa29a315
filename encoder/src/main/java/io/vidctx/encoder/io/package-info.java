/**
 * The vidctx token file ({@code .vtok}): frame tokens on disk, written by {@code vidctx encode} and
 * read back by later stages or by Python ({@code numpy.memmap}). Format in {@link
 * io.vidctx.encoder.io.TokenFile}.
 */
@NullMarked
package io.vidctx.encoder.io;

import org.jspecify.annotations.NullMarked;
