package io.vidctx.plugins.compress;

import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** The memory store's builder: persistent (RocksDB), changelogged, so a crashed instance's streams resume elsewhere. */
public final class MemoryStores {
  private MemoryStores() {}

  /**
   * A persistent key-value store named {@code name}, logged to a compacted changelog whose records
   * may reach 1 MB (the layout keeps them at 256 KB + a frame's tokens). Caching is on: a stream's
   * header written for every frame reaches the changelog once per commit.
   */
  public static StoreBuilder<KeyValueStore<String, byte[]>> builder(final String name) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
        .withLoggingEnabled(Map.of("max.message.bytes", Integer.toString(2 * 1024 * 1024)))
        .withCachingEnabled();
  }
}
