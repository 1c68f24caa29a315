package io.vidctx.samples.cli;

/** Small vector helpers for what the commands print and check about embeddings. */
final class Embeddings {
  private Embeddings() {}

  /** Cosine similarity; 0 when either vector is all zeros. */
  static double cosine(final float[] a, final float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
    }
    final double n = norm(a) * norm(b);
    return n > 0 ? dot / n : 0;
  }

  /** Euclidean length. */
  static double norm(final float[] v) {
    double s = 0;
    for (final float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }
}
