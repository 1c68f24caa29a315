package io.vidctx.samples.cli;

/** Entry point of the {@code vidctx} command; everything else lives in {@link Cli}. */
public final class Main {
  private Main() {}

  public static void main(final String[] args) {
    System.exit(Cli.forConsole().execute(args));
  }
}
