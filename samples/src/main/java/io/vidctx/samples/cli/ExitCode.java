package io.vidctx.samples.cli;

/** Exit codes of every {@code vidctx} command. */
public final class ExitCode {
  /** Everything worked (and every check passed). */
  public static final int OK = 0;
  /** The work failed (I/O, Kafka, a corrupt video part-way through). */
  public static final int ERROR = 1;
  /** Bad arguments or unusable input: unknown option, missing file, not a video, bad value. */
  public static final int INVALID_INPUT = 2;
  /** The work ran but a check failed (frames read back differ from those published, counts disagree). */
  public static final int UNEXPECTED_STATE = 3;
  /** A bug or a missing implementation in vidctx itself. */
  public static final int INTERNAL = 4;

  private ExitCode() {}
}
