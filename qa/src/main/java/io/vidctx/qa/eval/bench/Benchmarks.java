package io.vidctx.qa.eval.bench;

import java.util.List;
import java.util.Locale;

/** The benchmark readers by name. */
public final class Benchmarks {
  private static final List<String> NAMES = List.of(EgoSchemaReader.NAME, MlvuReader.NAME, VideoMmeReader.NAME,
      LongVideoBenchReader.NAME, NextQaReader.NAME);

  private Benchmarks() {}

  /** The known names, in documentation order. */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * A reader with its default files for the benchmark {@code name}: case-insensitive, '-' and '_'
   * ignored ("Video-MME", "next_qa").
   *
   * @throws IllegalArgumentException an unknown name, listing the known ones
   */
  public static BenchmarkReader byName(final String name) {
    final String key = name.strip().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    return switch (key) {
      case EgoSchemaReader.NAME -> new EgoSchemaReader();
      case MlvuReader.NAME -> new MlvuReader();
      case VideoMmeReader.NAME -> new VideoMmeReader();
      case LongVideoBenchReader.NAME -> new LongVideoBenchReader();
      case NextQaReader.NAME -> new NextQaReader();
      default -> throw new IllegalArgumentException("unknown benchmark '" + name + "'; known: "
          + String.join(", ", NAMES));
    };
  }
}
