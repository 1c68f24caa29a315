package io.vidctx.samples.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own producer benchmark, {@code org.apache.kafka.tools.ProducerPerformance} (from {@code
 * kafka-tools}), run in a child JVM on our classpath, and its summary line parsed.
 */
public final class ProducerPerformanceRun {
  /** "500 records sent, 1234.567 records/sec (150.23 MB/sec), 12.34 ms avg latency, ..." */
  private static final Pattern SUMMARY = Pattern.compile(
      "(\\d+)\\D{0,20} records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency.*");

  /**
   * The tool's final figures. {@code mibPerSecond} is what the tool prints as "MB/sec" (it divides by
   * 1024 × 1024).
   */
  public record Summary(long records, double recordsPerSecond, double mibPerSecond, double avgLatencyMs, double maxLatencyMs) {}

  private ProducerPerformanceRun() {}

  /**
   * The child command line: {@code records + warmupRecords} records, the first {@code warmupRecords}
   * left out of the tool's steady-state summary (its last line).
   */
  public static List<String> command(
      final String bootstrapServers, final String topic, final long records, final long warmupRecords,
      final int recordSize, final Map<String, String> producerProps) {
    final List<String> cmd = new ArrayList<>(List.of(
        javaBinary(), "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"),
        "org.apache.kafka.tools.ProducerPerformance",
        "--bootstrap-server", bootstrapServers,
        "--topic", topic,
        "--num-records", Long.toString(records + warmupRecords),
        "--warmup-records", Long.toString(warmupRecords),
        "--record-size", Integer.toString(recordSize),
        "--throughput", "-1",
        "--command-property"));
    producerProps.forEach((k, v) -> cmd.add(k + "=" + v));
    return cmd;
  }

  /** Runs the tool and parses its summary; the exception carries the tool's output tail on failure. */
  public static Summary run(final List<String> command) {
    final String output;
    final int rc;
    try {
      final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      rc = p.waitFor();
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0), e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while ProducerPerformance ran", e);
    }
    final Optional<Summary> summary = parse(output);
    if (rc != 0 || summary.isEmpty()) {
      final String tail = output.length() > 2000 ? output.substring(output.length() - 2000) : output;
      throw new IllegalStateException("ProducerPerformance exited with " + rc + " and no summary line; output:\n" + tail);
    }
    return summary.get();
  }

  /**
   * The last summary line of the tool's output: the steady-state line when warm-up records were
   * asked for, else the complete-run line.
   */
  public static Optional<Summary> parse(final String output) {
    Summary last = null;
    for (final String line : output.split("\\R")) {
      final Matcher m = SUMMARY.matcher(line.strip());
      if (m.matches()) {
        last = new Summary(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
            Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)));
      }
    }
    return Optional.ofNullable(last);
  }

  /** The java binary running this process. */
  static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
