package io.vidctx.plugins;

/** The one unchecked exception type of the plugins module: a topology or worker that cannot run as set up. */
public class PluginException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PluginException(final String message) {
    super(message);
  }

  public PluginException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
