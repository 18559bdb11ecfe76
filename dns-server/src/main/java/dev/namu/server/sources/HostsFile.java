package dev.namu.server.sources;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * A hosts file (hosts(5): an address, then its names, {@code #} starts a comment): each name in the
 * domain (or a single label, taken in it) becomes a device name. Loopback, multicast and
 * unspecified addresses ({@code 127.0.0.1 localhost}, {@code ff02::1 ip6-allnodes}) name no LAN
 * device and are left out; a line whose address does not parse is skipped with a warning.
 */
final class HostsFile {
  private static final Logger log = LoggerFactory.getLogger(HostsFile.class);

  private HostsFile() {}

  static List<DeviceName> parse(Path file, List<String> lines, Name domain) {
    List<DeviceName> names = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line == null) {
        continue;
      }
      int hash = line.indexOf('#');
      String[] words = (hash < 0 ? line : line.substring(0, hash)).trim().split("\\s+");
      if (words.length == 0 || words[0].isEmpty()) {
        continue;
      }
      Optional<InetAddress> address = LeaseFile.address(words[0]);
      if (address.isEmpty() || words.length < 2) {
        log.warn("{} line {}: skipped, {}: {}", file, i + 1,
            address.isEmpty() ? "not an IP address first" : "no name after the address", SourceLines.shown(line));
        continue;
      }
      if (!LeaseFile.deviceAddress(address.get())) {
        continue;
      }
      for (int w = 1; w < words.length; w++) {
        Optional<Name> owner = DeviceName.owner(words[w], domain);
        if (owner.isPresent()) {
          names.add(new DeviceName(owner.get(), address.get(), Optional.empty()));
        } else {
          log.debug("{} line {}: {} is not a name in {}, left out", file, i + 1, words[w], domain);
        }
      }
    }
    return names;
  }
}
