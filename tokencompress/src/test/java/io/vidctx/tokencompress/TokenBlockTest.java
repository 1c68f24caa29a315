package io.vidctx.tokencompress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidctx.encoder.FrameTokens;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenBlockTest {

  private static FrameTokens frame(final long index, final long pts, final int gridH, final int gridW, final int dim,
      final long seed) {
    final Random r = new Random(seed);
    final float[] patches = new float[gridH * gridW * dim];
    for (int i = 0; i < patches.length; i++) {
      patches[i] = (float) r.nextGaussian();
    }
    final float[] global = new float[dim];
    global[0] = 1;
    return new FrameTokens("s", index, pts, gridH, gridW, dim, patches, global);
  }

  @Test
  void ofFrame_onePatchOneToken() {
    final FrameTokens f = frame(7, 3_000_000, 3, 4, 5, 1);
    final TokenBlock b = TokenBlock.ofFrame(f);
    assertEquals(12, b.size());
    assertEquals(12, b.totalWeight());
    for (int t = 0; t < 12; t++) {
      assertEquals(3_000_000, b.startPts(t));
      assertEquals(3_000_000, b.endPts(t));
      assertEquals(7, b.firstFrame(t));
      assertEquals(t / 4, b.row(t));
      assertEquals(t % 4, b.col(t));
      assertEquals(1, b.cellCount(t));
      assertTrue(b.coversCell(t, t));
    }
    assertArrayEquals(f.patches(), b.embeddings());
    b.checkInvariants();
  }

  @Test
  void ofFrame_nonFiniteValue_isRefusedWithItsPosition() {
    final FrameTokens f = frame(3, 100, 2, 2, 4, 1);
    f.patches()[9] = Float.NaN;
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenBlock.ofFrame(f));
    assertTrue(e.getMessage().contains("patch 2, dimension 1"), e.getMessage());
    assertTrue(e.getMessage().contains("frame 3"), e.getMessage());
  }

  @Test
  void merge_unionsProvenanceAndAddsWeights() {
    final TokenBlock b = TokenBlock.ofFrame(frame(0, 0, 2, 2, 3, 1));
    b.appendAll(TokenBlock.ofFrame(frame(1, 1_000_000, 2, 2, 3, 2)));
    // inputs 0..7 (frame 0 cells 0-3, frame 1 cells 0-3) into 3 outputs numbered by first member.
    final int[] assignment = {0, 1, 1, 2, 0, 2, 1, 2};
    final TokenBlock m = b.merge(assignment, 3, null);
    assertEquals(3, m.size());
    assertEquals(b.totalWeight(), m.totalWeight());
    assertEquals(2, m.weight(0));
    assertEquals(3, m.weight(1));
    assertEquals(0, m.startPts(0));
    assertEquals(1_000_000, m.endPts(0));
    assertEquals(1, m.lastFrame(1));
    assertEquals(2, m.cellCount(1), "cells 1 and 2");
    assertTrue(m.coversCell(2, 1) && m.coversCell(2, 3));
    assertEquals(0, m.row(1));
    assertEquals(1, m.col(1), "representative = first member (input 1, cell 1)");
    // Size-weighted mean: output 1 = (in1 + in2 + in6) / 3.
    final float[] e = b.embeddings();
    final float[] out = m.embeddings();
    for (int k = 0; k < 3; k++) {
      assertEquals((e[3 + k] + e[6 + k] + e[18 + k]) / 3, out[3 + k], 1e-6);
    }
    m.checkInvariants();
    assertEquals(8, b.size(), "the input block is unchanged");
  }

  @Test
  void merge_weightsCountOriginalTokensNotInputs() {
    final TokenBlock b = TokenBlock.ofFrame(frame(0, 0, 1, 3, 2, 4));
    final TokenBlock first = b.merge(new int[] {0, 0, 1}, 2, null); // weights 2, 1
    final float[] e = first.embeddings();
    final TokenBlock second = first.merge(new int[] {0, 0}, 1, null);
    assertEquals(3, second.weight(0));
    for (int k = 0; k < 2; k++) {
      assertEquals((2 * e[k] + e[2 + k]) / 3, second.embeddings()[k], 1e-6);
    }
  }

  @Test
  void merge_badAssignments_areRefused() {
    final TokenBlock b = TokenBlock.ofFrame(frame(0, 0, 1, 3, 2, 4));
    assertThrows(IllegalArgumentException.class, () -> b.merge(new int[] {0, 1}, 2, null), "wrong length");
    assertThrows(IllegalArgumentException.class, () -> b.merge(new int[] {0, 3, 1}, 2, null), "out of range");
    assertThrows(IllegalArgumentException.class, () -> b.merge(new int[] {0, 0, 0}, 2, null), "empty output");
  }

  @Test
  void merge_acceptsOutputsNumberedInAnyOrder() {
    final TokenBlock b = TokenBlock.ofFrame(frame(0, 0, 1, 3, 2, 4));
    final TokenBlock m = b.merge(new int[] {1, 0, 0}, 2, null);
    m.checkInvariants();
    assertEquals(2, m.weight(0));
    assertEquals(1, m.weight(1));
    // Output 0's representative is its first member in input order (input 1, cell 1).
    assertEquals(1, m.col(0));
    assertTrue(m.coversCell(0, 2));
    assertEquals(0, m.col(1));
    assertEquals(b.totalWeight(), m.totalWeight());
  }

  @Test
  void sortedByTime_andSelect_keepEveryTokenOnce() {
    final TokenBlock late = TokenBlock.ofFrame(frame(3, 3_000_000, 1, 2, 2, 8));
    late.appendAll(TokenBlock.ofFrame(frame(1, 1_000_000, 1, 2, 2, 9)));
    final TokenBlock sorted = late.sortedByTime();
    assertTrue(sorted.isTimeOrdered());
    assertEquals(late.totalWeight(), sorted.totalWeight());
    assertEquals(1, sorted.firstFrame(0));
    assertEquals(3, sorted.firstFrame(3));
    assertThrows(IllegalArgumentException.class, () -> late.select(new int[] {0, 0}), "a token twice");
  }

  @Test
  void extendSpan_andAbsorbWeight_coverADroppedFrame() {
    final TokenBlock b = TokenBlock.ofFrame(frame(4, 4_000_000, 1, 2, 2, 5));
    b.extendSpan(0, 5_000_000, 5);
    b.absorbWeight(0, 2);
    assertEquals(4_000_000, b.startPts(0));
    assertEquals(5_000_000, b.endPts(0));
    assertEquals(5, b.lastFrame(0));
    assertEquals(4, b.totalWeight());
    assertThrows(IllegalArgumentException.class, () -> b.absorbWeight(1, 0.5f));
  }

  @Test
  void writeTo_readFrom_roundTripsByteIdentically() throws IOException {
    final TokenBlock b = TokenBlock.ofFrame(frame(0, 0, 14, 14, 8, 6));
    b.appendAll(TokenBlock.ofFrame(frame(1, 500_000, 14, 14, 8, 7)));
    final TokenBlock m = b.merge(pairs(b.size()), b.size() / 2, null);
    final byte[] bytes = serialize(m);
    final TokenBlock back = TokenBlock.readFrom(new DataInputStream(new ByteArrayInputStream(bytes)));
    assertArrayEquals(bytes, serialize(back));
    assertArrayEquals(m.embeddings(), back.embeddings());
    assertEquals(m.totalWeight(), back.totalWeight());
    assertEquals(m.cellCount(5), back.cellCount(5));
  }

  @Test
  void readFrom_unknownVersionOrTruncation_failsClearly() throws IOException {
    final byte[] bytes = serialize(TokenBlock.ofFrame(frame(0, 0, 2, 2, 2, 8)));
    bytes[0] = 9;
    final IOException e = assertThrows(IOException.class,
        () -> TokenBlock.readFrom(new DataInputStream(new ByteArrayInputStream(bytes))));
    assertTrue(e.getMessage().contains("version 9"), e.getMessage());
    final byte[] good = serialize(TokenBlock.ofFrame(frame(0, 0, 2, 2, 2, 8)));
    final byte[] cut = Arrays.copyOf(good, good.length - 5);
    assertThrows(IOException.class, () -> TokenBlock.readFrom(new DataInputStream(new ByteArrayInputStream(cut))));
  }

  @Test
  void appendAll_differentShapes_isRefused() {
    final TokenBlock a = TokenBlock.ofFrame(frame(0, 0, 2, 2, 4, 1));
    final TokenBlock b = TokenBlock.ofFrame(frame(1, 10, 2, 3, 4, 1));
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.appendAll(b));
    assertTrue(e.getMessage().contains("2x2x4 vs 2x3x4"), e.getMessage());
  }

  @Test
  void isTimeOrdered_detectsABackwardStart() {
    final TokenBlock b = TokenBlock.ofFrame(frame(1, 1_000, 1, 2, 2, 1));
    assertTrue(b.isTimeOrdered());
    b.appendAll(TokenBlock.ofFrame(frame(0, 0, 1, 2, 2, 1)));
    assertFalse(b.isTimeOrdered());
  }

  @Test
  void merge_randomAssignments_keepTotalWeightAndInvariants() {
    final Random r = new Random(42);
    for (int trial = 0; trial < 50; trial++) {
      final TokenBlock b = TokenBlock.ofFrame(frame(0, 0, 4, 4, 6, trial));
      b.appendAll(TokenBlock.ofFrame(frame(1, 40_000, 4, 4, 6, trial + 100)));
      final int outputs = 1 + r.nextInt(b.size());
      final int[] assignment = randomFirstMemberOrdered(b.size(), outputs, r);
      final TokenBlock m = b.merge(assignment, outputs, null);
      assertEquals(32, m.totalWeight());
      m.checkInvariants();
      // Outputs are numbered by first member and inputs are in time order, so starts never decrease.
      assertTrue(m.isTimeOrdered(), "trial " + trial);
    }
  }

  /** Inputs 2k and 2k+1 into output k. */
  private static int[] pairs(final int n) {
    final int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i / 2;
    }
    return a;
  }

  private static int[] randomFirstMemberOrdered(final int n, final int outputs, final Random r) {
    // First `outputs` inputs open outputs 0..outputs-1 in order; the rest join any opened output.
    final int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i < outputs ? i : r.nextInt(outputs);
    }
    return a;
  }

  private static byte[] serialize(final TokenBlock b) throws IOException {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      b.writeTo(out);
    }
    return bytes.toByteArray();
  }
}
