package io.vidctx.qa.eval.bench;

/**
 * A benchmark copy cannot be read: a file or folder is missing, a file is not what the benchmark
 * ships, or an entry lacks a field or has one of the wrong type. The message names the benchmark,
 * the file (relative to the data folder), the entry (0-based index, as {@code jq '.[12]'}, or the CSV
 * line) with its id, and the field. Unchecked: the only remedy is to fix or re-download the data.
 */
public final class BenchmarkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BenchmarkException(final String message) {
    super(message);
  }

  public BenchmarkException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
