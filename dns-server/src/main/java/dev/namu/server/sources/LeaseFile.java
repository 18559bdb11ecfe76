package dev.namu.server.sources;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * A DHCP server's lease file: dnsmasq's ({@code EXPIRY MAC ADDRESS HOSTNAME CLIENT-ID} a line,
 * expiry in seconds since the epoch, 0 for never, {@code *} for no host name; a {@code duid} line
 * before the DHCPv6 leases) or ISC Kea's memfile CSV (kea-leases4.csv or kea-leases6.csv: a
 * header line naming the columns, of which {@code address}, {@code expire}, {@code hostname} and
 * {@code state} are read; a lease is live in state 0; the file is appended to, so a later line for
 * an address replaces an earlier one). Leases without a host name name nothing; a line that does
 * not parse is skipped with a warning that names it.
 */
final class LeaseFile {
  private static final Logger log = LoggerFactory.getLogger(LeaseFile.class);

  /** The lease file formats read. */
  enum Format {
    AUTO, DNSMASQ, KEA;

    static Format parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--dhcp-leases-format " + text + ": use auto, dnsmasq or kea");
      }
    }
  }

  private LeaseFile() {}

  static List<DeviceName> parse(Path file, List<String> lines, Format format, Name domain) {
    Format f = format != Format.AUTO ? format
        : !lines.isEmpty() && lines.get(0) != null && lines.get(0).startsWith("address,") ? Format.KEA : Format.DNSMASQ;
    return f == Format.KEA ? kea(file, lines, domain) : dnsmasq(file, lines, domain);
  }

  private static List<DeviceName> dnsmasq(Path file, List<String> lines, Name domain) {
    List<DeviceName> names = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line == null || line.isBlank() || line.startsWith("duid ")) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      Optional<InetAddress> address = f.length >= 4 ? address(f[2]) : Optional.empty();
      Optional<Instant> expires = f.length >= 4 ? epoch(f[0]) : Optional.empty();
      if (address.isEmpty() || (expires.isEmpty() && !"0".equals(f[0]))) {
        log.warn("{} line {}: skipped, not a dnsmasq lease (EXPIRY MAC ADDRESS HOSTNAME CLIENT-ID): {}", file,
            i + 1, SourceLines.shown(line));
        continue;
      }
      add(names, f[3], domain, address.get(), expires, file, i);
    }
    return names;
  }

  private static List<DeviceName> kea(Path file, List<String> lines, Name domain) {
    if (lines.isEmpty() || lines.get(0) == null) {
      return List.of();
    }
    List<String> header = List.of(lines.get(0).trim().split(",", -1));
    int addressAt = header.indexOf("address");
    int expireAt = header.indexOf("expire");
    int hostAt = header.indexOf("hostname");
    int stateAt = header.indexOf("state");
    if (addressAt < 0 || expireAt < 0 || hostAt < 0) {
      log.warn("{} line 1: not a Kea lease file header (address,...,expire,...,hostname,...): {}", file,
          SourceLines.shown(lines.get(0)));
      return List.of();
    }
    int needed = Math.max(Math.max(addressAt, expireAt), Math.max(hostAt, stateAt)) + 1;
    // the file is appended to: the last line for an address is its lease now
    Map<InetAddress, DeviceName> byAddress = new LinkedHashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line == null || line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      Optional<InetAddress> address = f.length >= needed ? address(f[addressAt]) : Optional.empty();
      Optional<Instant> expires = f.length >= needed ? epoch(f[expireAt]) : Optional.empty();
      if (address.isEmpty() || expires.isEmpty()) {
        log.warn("{} line {}: skipped, not a Kea lease: {}", file, i + 1, SourceLines.shown(line));
        continue;
      }
      byAddress.remove(address.get());
      boolean live = stateAt < 0 || f[stateAt].trim().equals("0");
      if (live) {
        List<DeviceName> one = new ArrayList<>();
        add(one, f[hostAt], domain, address.get(), expires, file, i);
        one.forEach(d -> byAddress.put(d.address(), d));
      }
    }
    return List.copyOf(byAddress.values());
  }

  private static void add(List<DeviceName> names, String host, Name domain, InetAddress address,
      Optional<Instant> expires, Path file, int index) {
    if (host.isEmpty() || host.equals("*") || !deviceAddress(address)) {
      return;
    }
    // Kea writes the client's FQDN; a dnsmasq name is one label
    Optional<Name> owner = DeviceName.owner(host, domain);
    if (owner.isEmpty()) {
      owner = DeviceName.owner(host.split("\\.")[0], domain);
    }
    if (owner.isEmpty()) {
      log.warn("{} line {}: skipped, {} is not a host name", file, index + 1, SourceLines.shown(host));
      return;
    }
    names.add(new DeviceName(owner.get(), address, expires));
  }

  /** An IPv4 or IPv6 address literal, never a name looked up. */
  static Optional<InetAddress> address(String text) {
    try {
      return Optional.of(org.xbill.DNS.Address.getByAddress(text.trim()));
    } catch (java.net.UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** Addresses a LAN device may have: not loopback, multicast or unspecified. */
  static boolean deviceAddress(InetAddress a) {
    return !a.isLoopbackAddress() && !a.isMulticastAddress() && !a.isAnyLocalAddress();
  }

  /** Seconds since the epoch; 0 (dnsmasq's "never") is empty. */
  private static Optional<Instant> epoch(String text) {
    try {
      long seconds = Long.parseLong(text.trim());
      return seconds > 0 ? Optional.of(Instant.ofEpochSecond(seconds)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
