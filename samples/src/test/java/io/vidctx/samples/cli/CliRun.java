package io.vidctx.samples.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code vidctx} in-process with captured output (black-box tests). */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(final String... args) {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final int code = Cli.create(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** For assertion messages. */
  String dump() {
    return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
  }
}
