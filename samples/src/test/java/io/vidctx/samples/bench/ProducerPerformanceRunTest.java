package io.vidctx.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProducerPerformanceRunTest {

  @Test
  void parse_takesTheFinalSummaryLine() {
    final String output = String.join("\n",
        "SLF4J: something",
        "2506 records sent, 501.1 records/sec (58.76 MB/sec), 301.2 ms avg latency, 611.0 ms max latency.",
        "5000 records sent, 998.003992 records/sec (117.02 MB/sec), 250.31 ms avg latency, 611.00 ms max latency,"
            + " 240 ms 50th, 480 ms 95th, 590 ms 99th, 610 ms 99.9th.");
    final ProducerPerformanceRun.Summary s = ProducerPerformanceRun.parse(output).orElseThrow();
    assertEquals(5000, s.records());
    assertEquals(998.003992, s.recordsPerSecond(), 1e-9);
    assertEquals(117.02, s.mibPerSecond(), 1e-9);
    assertEquals(250.31, s.avgLatencyMs(), 1e-9);
    assertEquals(611.0, s.maxLatencyMs(), 1e-9);
    assertTrue(ProducerPerformanceRun.parse("Exception in thread main").isEmpty());
  }

  @Test
  void command_passesTheSameProducerSettings() {
    final List<String> cmd = ProducerPerformanceRun.command("127.0.0.1:9092", "t", 500, 100, 123_456,
        PublishBenchmark.PRODUCER_SETTINGS);
    final int main = cmd.indexOf("org.apache.kafka.tools.ProducerPerformance");
    assertTrue(main > 0, cmd.toString());
    final List<String> args = cmd.subList(main + 1, cmd.size());
    assertEquals(List.of("--bootstrap-server", "127.0.0.1:9092", "--topic", "t", "--num-records", "600",
        "--warmup-records", "100", "--record-size", "123456", "--throughput", "-1", "--command-property"),
        args.subList(0, 13));
    for (final Map.Entry<String, String> e : PublishBenchmark.PRODUCER_SETTINGS.entrySet()) {
      assertTrue(args.contains(e.getKey() + "=" + e.getValue()), e + " missing in " + args);
    }
    assertEquals("none", PublishBenchmark.PRODUCER_SETTINGS.get("compression.type"));
  }
}
