package io.vidctx.tokencompress.merge;

import java.util.Arrays;

/**
 * A reusable result of one merge kernel call: m outputs from n inputs.
 *
 * <p>Convention shared by all kernels of this package:
 *
 * <ul>
 *   <li>{@code assignment()[i]} for i in [0, {@link #inputCount()}) is in [0, {@link #count()}): the
 *       output that input i went into; every input goes to exactly one output and every output has
 *       at least one input;
 *   <li>{@code embeddings()} holds {@code count * dim} floats, row-major: output j is the weighted
 *       mean of its members (an output with a single member is a bit-exact copy of it);
 *   <li>{@code weights()[j]} is the sum of its members' weights (exact while the weights are
 *       integers whose total stays below 2^24);
 *   <li>outputs are numbered in order of the smallest input index they contain, so survivors keep
 *       the input (time-then-position) order. {@link WeightedKMeans} is the one exception: it orders
 *       its centroids by weighted mean time and fills {@link #times()}.
 * </ul>
 *
 * <p>The arrays are owned by this object and grow as needed ({@code ensureCapacity}), so a caller
 * that reuses one {@code MergeOutput} allocates nothing in steady state. They may be longer than
 * the valid prefix; a later call overwrites them, so copy what must outlive the next call (the
 * {@code ...Copy()} methods do). They never alias a kernel's inputs.
 */
public final class MergeOutput {
  private int count;
  private int inputCount;
  private int dim;
  private int[] assignment = new int[0];
  private float[] embeddings = new float[0];
  private float[] weights = new float[0];
  private double[] times = new double[0];

  /** An empty output; the first kernel call sizes it. */
  public MergeOutput() {}

  /** Number of outputs m. */
  public int count() {
    return count;
  }

  /** Number of inputs n (the valid length of {@link #assignment()}). */
  public int inputCount() {
    return inputCount;
  }

  /** Embedding width. */
  public int dim() {
    return dim;
  }

  /** Backing array: the first {@link #inputCount()} entries are valid. */
  public int[] assignment() {
    return assignment;
  }

  /** Backing array: the first {@code count * dim} entries are valid. */
  public float[] embeddings() {
    return embeddings;
  }

  /** Backing array: the first {@link #count()} entries are valid. */
  public float[] weights() {
    return weights;
  }

  /**
   * Backing array, filled by {@link WeightedKMeans} only: the weighted mean time key of each output
   * (first {@link #count()} entries); other kernels leave its contents unspecified.
   */
  public double[] times() {
    return times;
  }

  /** A fresh copy of the valid assignment prefix. */
  public int[] assignmentCopy() {
    return Arrays.copyOf(assignment, inputCount);
  }

  /** A fresh copy of the valid embeddings prefix ({@code count * dim} floats). */
  public float[] embeddingsCopy() {
    return Arrays.copyOf(embeddings, count * dim);
  }

  /** A fresh copy of the valid weights prefix. */
  public float[] weightsCopy() {
    return Arrays.copyOf(weights, count);
  }

  /** Sizes the buffers for n inputs, at most {@code maxCount} outputs of width d; contents unspecified. */
  void begin(final int n, final int maxCount, final int d) {
    inputCount = n;
    dim = d;
    count = 0;
    if (assignment.length < n) {
      assignment = new int[n];
    }
    if (embeddings.length < maxCount * d) {
      embeddings = new float[maxCount * d];
    }
    if (weights.length < maxCount) {
      weights = new float[maxCount];
    }
  }

  void ensureTimes(final int maxCount) {
    if (times.length < maxCount) {
      times = new double[maxCount];
    }
  }

  void setCount(final int m) {
    count = m;
  }
}
