package dev.namu.cli.zone;

import dev.namu.zones.file.ZoneDirectory;
import dev.namu.zones.file.ZoneFileLoader;
import java.nio.file.Path;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The zone a file is imported as, one rule for {@code zone import} and {@code zone check
 * --for-import}: {@code --origin} when given; else the zone the text names itself (its SOA owner
 * or {@code $ORIGIN}); else the file's name ({@code NAME.zone}).
 */
final class ImportOrigin {

  private ImportOrigin() {}

  /** The {@code --origin} given, or null; a usage error when it is no name. */
  static Name option(String option, CommandLine cmd) {
    if (option == null) {
      return null;
    }
    try {
      return Name.fromString(option, Name.root);
    } catch (TextParseException e) {
      throw new ParameterException(cmd, "invalid --origin '" + option + "': " + e.getMessage());
    }
  }

  /** The zone {@code file} (read as {@code text}) is imported as; {@code given} is {@code --origin} or null. */
  static Name of(Name given, Path file, byte[] text, CommandLine cmd) {
    if (given != null) {
      return given;
    }
    Optional<Name> declared = new ZoneFileLoader().declaredOrigin(text);
    if (declared.isPresent()) {
      return declared.get();
    }
    try {
      return ZoneDirectory.originOf(file);
    } catch (TextParseException e) {
      throw new ParameterException(cmd, "cannot tell the zone name of '" + file
          + "': it has no $ORIGIN or SOA record and is not named NAME.zone; give --origin NAME");
    }
  }
}
