package io.vidctx.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TerminalTest {

  @Test
  void shouldDrawAProgressBarOnStderrOnlyWhenEnabled() {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final Terminal on = new Terminal(new PrintWriter(out), new PrintWriter(err), false, false, true);
    try (Progress p = on.progress("decode", 10, "fr")) {
      for (int i = 0; i < 10; i++) {
        p.step();
      }
    }
    assertTrue(err.toString().contains("decode"), "bar drawn: " + err);
    assertTrue(err.toString().contains("10/10"), "count / total shown: " + err);
    assertEquals("", out.toString(), "bars never go to stdout");

    final StringWriter quietErr = new StringWriter();
    final Terminal off = new Terminal(new PrintWriter(out), new PrintWriter(quietErr), false, true, false);
    try (Progress p = off.progress("decode", 10, "fr")) {
      p.step();
    }
    off.note("a note");
    off.detail("a detail");
    assertEquals("", quietErr.toString());
  }

  @Test
  void shouldPrintNotesUnlessQuietAndDetailsOnlyWhenVerbose() {
    final StringWriter err = new StringWriter();
    final Terminal t = new Terminal(new PrintWriter(new StringWriter()), new PrintWriter(err), false, false, false);
    t.note("note %d", 1);
    t.detail("detail %d", 2);
    assertEquals("note 1" + System.lineSeparator(), err.toString());
    final StringWriter verboseErr = new StringWriter();
    new Terminal(new PrintWriter(new StringWriter()), new PrintWriter(verboseErr), true, false, false).detail("x=%.1f", 0.5);
    assertEquals("x=0.5" + System.lineSeparator(), verboseErr.toString());
  }
}
