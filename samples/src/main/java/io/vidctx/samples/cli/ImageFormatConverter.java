package io.vidctx.samples.cli;

import io.vidctx.ingest.IngestException;
import io.vidctx.ingest.image.ImageFormat;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --format jpeg|png|raw} (also {@code jpg}, {@code rgb24}), case-insensitive. */
public final class ImageFormatConverter implements ITypeConverter<ImageFormat> {
  @Override
  public ImageFormat convert(final String value) {
    try {
      return ImageFormat.parse(value);
    } catch (final IngestException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
