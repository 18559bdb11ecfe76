package dev.namu.resolver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The root name servers iteration starts from: their names and addresses.
 *
 * <p>{@link #iana()} holds the IANA root servers (data only; Namu's tests never contact them).
 * {@link #parse(Path)} reads a file in the named.root format (as published by IANA), so a
 * private root or a test hierarchy on 127.0.0.x can replace them.
 */
public record RootHints(Map<Name, List<InetAddress>> servers) {

  public RootHints {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("root hints list no name server");
    }
    Map<Name, List<InetAddress>> copy = new LinkedHashMap<>();
    servers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    servers = java.util.Collections.unmodifiableMap(copy);
  }

  /** Every address of every root server. */
  public List<InetAddress> addresses() {
    List<InetAddress> all = new ArrayList<>();
    servers.values().forEach(all::addAll);
    return all;
  }

  /** The IANA root servers (root-servers.net, as of 2024). */
  public static RootHints iana() {
    String[][] roots = {
      {"a", "198.41.0.4", "2001:503:ba3e::2:30"},
      {"b", "170.247.170.2", "2801:1b8:10::b"},
      {"c", "192.33.4.12", "2001:500:2::c"},
      {"d", "199.7.91.13", "2001:500:2d::d"},
      {"e", "192.203.230.10", "2001:500:a8::e"},
      {"f", "192.5.5.241", "2001:500:2f::f"},
      {"g", "192.112.36.4", "2001:500:12::d0d"},
      {"h", "198.97.190.53", "2001:500:1::53"},
      {"i", "192.36.148.17", "2001:7fe::53"},
      {"j", "192.58.128.30", "2001:503:c27::2:30"},
      {"k", "193.0.14.129", "2001:7fd::1"},
      {"l", "199.7.83.42", "2001:500:9f::42"},
      {"m", "202.12.27.33", "2001:dc3::35"},
    };
    Map<Name, List<InetAddress>> map = new LinkedHashMap<>();
    for (String[] r : roots) {
      Name n = Name.fromConstantString(r[0] + ".root-servers.net.");
      try {
        map.put(n, List.of(InetAddress.getByName(r[1]), InetAddress.getByName(r[2])));
      } catch (UnknownHostException e) {
        throw new IllegalStateException("built-in root hint is not an address literal: " + r[1], e);
      }
    }
    return new RootHints(map);
  }

  /** Hints with the given addresses under made-up server names (tests, stub roots). */
  public static RootHints of(List<InetAddress> addresses) {
    Map<Name, List<InetAddress>> map = new LinkedHashMap<>();
    int i = 0;
    for (InetAddress a : addresses) {
      map.put(Name.fromConstantString("hint" + (i++) + ".root-hints.invalid."), List.of(a));
    }
    return new RootHints(map);
  }

  /**
   * Reads a root hints file (named.root format: ". NS name" plus A/AAAA records of the names).
   *
   * @throws IOException when the file cannot be read or parsed, or lists no usable server; the
   *     message names the file and what is wrong
   */
  public static RootHints parse(Path file) throws IOException {
    Map<Name, List<InetAddress>> map = new LinkedHashMap<>();
    List<Record> addressRecords = new ArrayList<>();
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      // a FIFO waits for a writer and a device may never end: the start would hang without a word
      throw new IOException(file + ": not a regular file (a device or a FIFO); root hints must be a regular file");
    }
    try (Master master = new Master(Files.newInputStream(file), Name.root, 3600000)) {
      Record r;
      while ((r = master.nextRecord()) != null) {
        if (r instanceof NSRecord ns && r.getName().equals(Name.root)) {
          map.putIfAbsent(ns.getTarget(), new ArrayList<>());
        } else if (r instanceof ARecord || r instanceof AAAARecord) {
          addressRecords.add(r);
        }
      }
    } catch (org.xbill.DNS.TextParseException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    for (Record r : addressRecords) {
      List<InetAddress> list = map.get(r.getName());
      if (list != null) {
        list.add(r instanceof ARecord a ? a.getAddress() : ((AAAARecord) r).getAddress());
      }
    }
    map.values().removeIf(List::isEmpty);
    if (map.isEmpty()) {
      throw new IOException(file + ": no root name server with an address (need '. NS name' and 'name A addr')");
    }
    return new RootHints(map);
  }
}
