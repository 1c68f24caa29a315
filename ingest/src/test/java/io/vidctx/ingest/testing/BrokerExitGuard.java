package io.vidctx.ingest.testing;

import org.apache.kafka.common.utils.Exit;

/**
 * Replaces Kafka's process-wide exit and halt hooks for the duration of a broker test, so that a
 * fatal broker error fails the test with its message instead of ending the test JVM. Call {@link
 * #install()} in {@code @BeforeAll} and {@link #reset()} in {@code @AfterAll}.
 */
public final class BrokerExitGuard {
  private BrokerExitGuard() {}

  public static void install() {
    Exit.setHaltProcedure((code, message) -> {
      throw new IllegalStateException("Kafka broker asked to halt the JVM with status " + code + ": " + message);
    });
    Exit.setExitProcedure((code, message) -> {
      throw new IllegalStateException("Kafka broker asked to exit the JVM with status " + code + ": " + message);
    });
  }

  public static void reset() {
    Exit.resetHaltProcedure();
    Exit.resetExitProcedure();
  }
}
