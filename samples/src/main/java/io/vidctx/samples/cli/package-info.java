/**
 * The {@code vidctx} command: a picocli root command ({@link io.vidctx.samples.cli.VidctxCommand})
 * with one class per subcommand, the shared {@link io.vidctx.samples.cli.LoggingMixin}, and {@link
 * io.vidctx.samples.cli.Cli}, which wires error handling and exit codes ({@link
 * io.vidctx.samples.cli.ExitCode}) in one place.
 */
@NullMarked
package io.vidctx.samples.cli;

import org.jspecify.annotations.NullMarked;
