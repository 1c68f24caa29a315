package io.vidctx.plugins.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.io.IOException;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON (Jackson) for the small records that people and other languages read and write: queries,
 * answers, memory updates. Unknown fields are an error, so a misspelt field name is reported
 * instead of silently ignored.
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private final Class<T> type;

  public JsonSerde(final Class<T> type) {
    this.type = Objects.requireNonNull(type, "type");
  }

  /** The mapper the serdes use (configured once, never changed; ObjectMapper is thread-safe for use). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  @Override
  public byte[] serialize(final String topic, final T value) {
    if (value == null) {
      return null;
    }
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (final JsonProcessingException e) {
      throw new SerializationException("cannot write " + type.getSimpleName() + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public T deserialize(final String topic, final byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      final T value = MAPPER.readValue(data, type);
      if (value == null) {
        throw new SerializationException("a " + type.getSimpleName() + " record must be a JSON object, was null");
      }
      return value;
    } catch (final JsonProcessingException e) {
      throw new SerializationException("not a valid " + type.getSimpleName() + " JSON record: " + e.getOriginalMessage(),
          e);
    } catch (final IOException e) {
      throw new SerializationException("cannot read " + type.getSimpleName() + " JSON: " + e.getMessage(), e);
    }
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(final Map<String, ?> configs, final boolean isKey) {
    // Nothing to configure.
  }

  @Override
  public void close() {
    // Nothing to release.
  }
}
