package dev.namu.cli.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A {@code --server} (or NAMU_SERVER) value: namud's API is plain HTTP or HTTPS on a host. */
public final class ServerUrlConverter implements ITypeConverter<URI> {

  @Override
  public URI convert(String text) {
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new TypeConversionException(bad(text));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new TypeConversionException(bad(text));
    }
    return uri;
  }

  private static String bad(String text) {
    return "'" + text + "' is not an http:// or https:// URL with a host (such as http://127.0.0.1:8053)";
  }
}
