package io.vidctx.qa.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An array read from (or about to be written to) a NumPy {@code .npy} file: its type, its shape and
 * its raw values in C order, little-endian.
 *
 * <p>Invariants: {@code descr} is one of {@code "<f4"} (float32), {@code "<i4"} (int32) or {@code
 * "<i8"} (int64), always little-endian, because {@link NpyFile#read} converts big-endian files;
 * {@code fortranOrder} is always false (column-major files are refused on read); every dimension is
 * {@code >= 0} and {@code data} holds exactly product(shape) × item size bytes. The shape is copied;
 * the buffer is not (whoever creates the record hands it over), but only read-only views of it are
 * ever handed out.
 *
 * @param descr NumPy's type string
 * @param fortranOrder whether the values are stored column-major; always false
 * @param shape the dimensions, outermost first; {@code {}} for a 0-d (scalar) array
 * @param data the values, C order, little-endian
 */
public record NpyArray(String descr, boolean fortranOrder, int[] shape, ByteBuffer data) {

  public NpyArray {
    Objects.requireNonNull(descr, "descr");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(data, "data");
    final int itemSize = NpyFile.itemSize(descr);
    if (itemSize < 0) {
      throw new IllegalArgumentException("unsupported descr '" + descr + "': expected " + NpyFile.SUPPORTED);
    }
    if (fortranOrder) {
      throw new IllegalArgumentException("an NpyArray holds C-order data only; fortranOrder must be false");
    }
    shape = shape.clone();
    final long bytes = NpyFile.elementCount(shape) * itemSize;
    if (data.remaining() != bytes) {
      throw new IllegalArgumentException("shape " + NpyFile.tuple(shape) + " of " + descr + " needs " + bytes
          + " data bytes, the buffer holds " + data.remaining());
    }
    data = data.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** A read-only, little-endian view of the values, positioned at the first one. */
  @Override
  public ByteBuffer data() {
    return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** How many values the array holds: the product of its shape (1 for a 0-d array). */
  public int size() {
    return data.remaining() / NpyFile.itemSize(descr);
  }

  /**
   * The values of a float32 array, C order.
   *
   * @throws IllegalStateException when the array is not {@code <f4}
   */
  public float[] floats() {
    requireDescr("<f4", "floats()");
    final float[] out = new float[size()];
    data().asFloatBuffer().get(out);
    return out;
  }

  /**
   * The values of an int32 array, C order.
   *
   * @throws IllegalStateException when the array is not {@code <i4}
   */
  public int[] ints() {
    requireDescr("<i4", "ints()");
    final int[] out = new int[size()];
    data().asIntBuffer().get(out);
    return out;
  }

  /**
   * The values of an int64 array, C order.
   *
   * @throws IllegalStateException when the array is not {@code <i8}
   */
  public long[] longs() {
    requireDescr("<i8", "longs()");
    final long[] out = new long[size()];
    data().asLongBuffer().get(out);
    return out;
  }

  private void requireDescr(final String expected, final String accessor) {
    if (!descr.equals(expected)) {
      throw new IllegalStateException(
          accessor + " needs a " + expected + " array, this one is " + descr + "; use the accessor of its type");
    }
  }

  // Records compare arrays by identity; an array of values is only useful compared by content.
  @Override
  public boolean equals(final @Nullable Object other) {
    return other instanceof NpyArray a && descr.equals(a.descr) && fortranOrder == a.fortranOrder
        && Arrays.equals(shape, a.shape) && data.equals(a.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(descr, fortranOrder, Arrays.hashCode(shape), data);
  }

  @Override
  public String toString() {
    return "NpyArray[" + descr + " " + NpyFile.tuple(shape) + "]";
  }
}
