package io.vidctx.qa.eval.manifest;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A manifest cannot be used: missing, unreadable, or a line that is not a valid item. Unchecked,
 * because what is wrong is almost always the data, which the caller can only report; an I/O failure
 * while reading is wrapped (it is the cause) so that callers handle one exception.
 *
 * <p>The message names the file, the 1-based line and the item id when they are known, then the
 * problem: {@code manifest m.jsonl line 7 (id mlvu-12): missing field 'question'}.
 */
public final class ManifestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient @Nullable Path file;
  private final int line;
  private final @Nullable String itemId;
  private final String problem;

  /**
   * @param file the manifest, or null when parsing a single line
   * @param line 1-based line number, or 0 when not about one line
   * @param itemId the item's id when it was read before the problem was found, else null
   * @param problem what is wrong, without the location
   */
  public ManifestException(final @Nullable Path file, final int line, final @Nullable String itemId,
      final String problem, final @Nullable Throwable cause) {
    super(message(file, line, itemId, problem), cause);
    this.file = file;
    this.line = line;
    this.itemId = itemId;
    this.problem = problem;
  }

  public @Nullable Path file() {
    return file;
  }

  /** 1-based line number, or 0. */
  public int line() {
    return line;
  }

  public @Nullable String itemId() {
    return itemId;
  }

  /** What is wrong, without the location. */
  public String problem() {
    return problem;
  }

  /** The same problem located in {@code f} at {@code lineNumber}. */
  ManifestException at(final Path f, final int lineNumber) {
    return new ManifestException(f, lineNumber, itemId, problem, getCause());
  }

  private static String message(final @Nullable Path file, final int line, final @Nullable String itemId,
      final String problem) {
    final StringBuilder b = new StringBuilder();
    if (file != null) {
      b.append("manifest ").append(file);
    }
    if (line > 0) {
      b.append(b.length() > 0 ? " " : "").append("line ").append(line);
    }
    if (itemId != null) {
      b.append(b.length() > 0 ? " " : "").append(line > 0 ? "(id " + itemId + ")" : "item '" + itemId + "'");
    }
    return b.length() > 0 ? b.append(": ").append(problem).toString() : problem;
  }
}
