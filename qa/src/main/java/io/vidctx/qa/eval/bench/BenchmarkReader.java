package io.vidctx.qa.eval.bench;

import io.vidctx.qa.eval.EvalItem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the questions of one benchmark from the user's local copy of it. Video files are not checked
 * (a subset may be downloaded); the runner reports missing videos per item.
 */
public interface BenchmarkReader {

  /** The name {@link Benchmarks#byName} knows the benchmark by, also written to each item's {@code meta.benchmark}. */
  String name();

  /**
   * The benchmark's items, in file order, with absolute video paths and ids unique across the benchmark.
   *
   * @param dataDir the folder the benchmark was downloaded or unpacked into
   * @throws BenchmarkException a missing file or folder, or an entry that is not as the benchmark ships it
   * @throws IOException a file exists but cannot be read
   */
  List<EvalItem> read(Path dataDir) throws IOException;
}
