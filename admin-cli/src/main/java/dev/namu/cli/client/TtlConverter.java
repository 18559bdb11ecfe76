package dev.namu.cli.client;

import org.xbill.DNS.TTL;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A {@code --ttl} value: seconds, or a duration in BIND's units ({@code 30m}, {@code 1h30m}, {@code 1d},
 * {@code 1w}), from 0 to 2^31-1 seconds (RFC 2181 8).
 */
public final class TtlConverter implements ITypeConverter<Long> {

  @Override
  public Long convert(String text) {
    long ttl;
    try {
      ttl = TTL.parse(text.strip(), false);
    } catch (NumberFormatException e) {
      throw new TypeConversionException(bad(text));
    }
    if (ttl < 0 || ttl > TTL.MAX_VALUE) {
      throw new TypeConversionException(bad(text));
    }
    return ttl;
  }

  private static String bad(String text) {
    return "TTL '" + text + "' is not 0.." + TTL.MAX_VALUE + " seconds or a duration such as 30m, 1h30m, 1d, 1w";
  }
}
