package dev.namu.server.config;

import dev.namu.server.api.ApiLimits;
import dev.namu.server.sources.SourcesConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** namud's flags for live editing, mixed into its command line. */
public final class AdminOptions {

  @Option(names = "--data", paramLabel = "DIR",
      description = "Data directory: the zone store (H2 file namu.mv.db) and the API token (default ./data).")
  Path data;

  @Option(names = "--store-url", paramLabel = "JDBC_URL",
      description = "Keep the zone store in this database instead of DIR/namu: PostgreSQL"
          + " (jdbc:postgresql://HOST:PORT/DB?user=NAME), which several namud may share.")
  String storeUrl;

  @Option(names = "--api", paramLabel = "ADDR:PORT",
      description = "Admin HTTP API address (default 127.0.0.1:8053; port 0 picks a free port).")
  String api;

  @Option(names = "--api-max-body", paramLabel = "SIZE",
      description = "Largest admin API request body, bytes or with k, m or g (default 32m; 1k to 1g).")
  String apiMaxBody;

  @Option(names = "--no-api", description = "Do not start the admin HTTP API.")
  boolean noApi;

  @Option(names = "--hosts-file", paramLabel = "FILE",
      description = "Serve the names of this hosts file (/etc/hosts format) under --hosts-domain, with their PTR.")
  Path hostsFile;

  @Option(names = "--hosts-domain", paramLabel = "DOMAIN",
      description = "Domain of the names of --hosts-file and --dhcp-leases (home.lan).")
  String hostsDomain;

  @Option(names = "--dhcp-leases", paramLabel = "FILE",
      description = "Serve the host names of this DHCP lease file (dnsmasq or Kea memfile CSV) under --hosts-domain.")
  Path dhcpLeases;

  @Option(names = "--dhcp-leases-format", paramLabel = "auto|dnsmasq|kea",
      description = "Format of --dhcp-leases (default auto: Kea's CSV header, else dnsmasq).")
  String dhcpLeasesFormat;

  /** @throws IllegalArgumentException with a one-line message for a bad value */
  public AdminConfig toConfig() {
    if (noApi && (api != null || apiMaxBody != null)) {
      String flag = api != null ? "--api" : "--api-max-body";
      throw new IllegalArgumentException(flag + " and --no-api contradict each other");
    }
    ApiLimits limits = apiMaxBody == null ? ApiLimits.defaults()
        : ApiLimits.withMaxBody(ApiLimits.parseSize("--api-max-body", apiMaxBody));
    Optional<InetSocketAddress> address =
        noApi ? Optional.empty() : Optional.of(api == null ? AdminConfig.DEFAULT_API : parse(api));
    if (storeUrl != null && !storeUrl.startsWith("jdbc:")) {
      throw new IllegalArgumentException("--store-url " + storeUrl + ": not a JDBC URL (jdbc:...)");
    }
    return new AdminConfig(data == null ? AdminConfig.DEFAULT_DATA : data, data != null,
        Optional.ofNullable(storeUrl), address, api != null, limits, sources());
  }

  private SourcesConfig sources() {
    Optional<org.xbill.DNS.Name> domain = Optional.empty();
    if (hostsDomain != null) {
      try {
        domain = Optional.of(org.xbill.DNS.Name.fromString(hostsDomain, org.xbill.DNS.Name.root));
      } catch (org.xbill.DNS.TextParseException e) {
        throw new IllegalArgumentException("--hosts-domain " + hostsDomain + ": " + e.getMessage());
      }
    }
    return new SourcesConfig(Optional.ofNullable(hostsFile), Optional.ofNullable(dhcpLeases),
        dhcpLeasesFormat == null ? "auto" : dhcpLeasesFormat, domain);
  }

  static InetSocketAddress parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("--api " + text + ": expected ADDR:PORT, e.g. 127.0.0.1:8053");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--api " + text + ": port is not a number");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--api " + text + ": port out of range");
    }
    // Literal addresses only: the API must not depend on name resolution (or on ourselves).
    if (!host.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("--api " + text + ": use an IP address, not a host name");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--api " + text + ": bad address");
    }
  }
}
