package dev.namu.zones.sign;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/** The records that prove what does not exist in a zone: the NSEC chain (RFC 4035 2.3) or NSEC3 (RFC 5155 7.1). */
final class DenialChain {

  /**
   * NSEC3 parameters by RFC 9276 3.1: SHA-1 (the one hash defined), no extra iterations, no salt;
   * flags 0: no opt-out, every delegation is in the chain.
   */
  private static final int SHA1 = NSEC3Record.SHA1_DIGEST_ID;
  private static final int ITERATIONS = 0;
  private static final byte[] SALT = new byte[0];
  private static final base32 BASE32HEX = new base32(base32.Alphabet.BASE32HEX, false, false);

  private DenialChain() {}

  /** The NSEC3PARAM at the apex; TTL 0 as BIND and Knot give it (it is for the zone's servers, RFC 5155 4). */
  static NSEC3PARAMRecord nsec3param(Name origin) {
    return new NSEC3PARAMRecord(origin, DClass.IN, 0, SHA1, 0, ITERATIONS, SALT);
  }

  /**
   * One NSEC per name of the chain (canonical order), pointing at the next and, from the last, at
   * the apex; its bitmap lists the types at the name and RRSIG and NSEC, which are there once signed.
   */
  static Map<Name, Record> nsec(List<Name> chain, Map<Name, Map<Integer, List<Record>>> data, long ttl) {
    Map<Name, Record> out = new LinkedHashMap<>(chain.size() * 2);
    for (int i = 0; i < chain.size(); i++) {
      Name name = chain.get(i);
      Name next = chain.get((i + 1) % chain.size());
      Set<Integer> types = new TreeSet<>(data.get(name).keySet());
      types.add(Type.RRSIG);
      types.add(Type.NSEC);
      out.put(name, new NSECRecord(name, DClass.IN, ttl, next, ints(types)));
    }
    return out;
  }

  /**
   * One NSEC3 per name of the chain and per empty non-terminal above one (RFC 5155 7.1), owned by
   * the hash of the name under the apex, in hash order, each pointing at the next hash. The bitmap
   * lists the types at the name, and RRSIG where the name has a signed RRset (not at a delegation
   * without DS).
   */
  static Map<Name, Record> nsec3(Name origin, List<Name> chain, Map<Name, Map<Integer, List<Record>>> data,
      Set<Name> cuts, long ttl) {
    Set<Name> names = new HashSet<>(chain);
    List<Name> all = new ArrayList<>(chain);
    for (Name name : chain) {
      for (Name up = parent(name, origin); up != null && names.add(up); up = parent(up, origin)) {
        all.add(up); // an empty non-terminal
      }
    }
    byte[][] hashes = new byte[all.size()][];
    Integer[] order = new Integer[all.size()];
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-1", e);
    }
    for (int i = 0; i < all.size(); i++) {
      // RFC 5155 5: IH(salt, x, 0) = H(x || salt), x the name in canonical wire form
      sha1.reset();
      sha1.update(all.get(i).canonicalize().toWireCanonical());
      sha1.update(SALT);
      hashes[i] = sha1.digest();
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(hashes[a], hashes[b]));
    Map<Name, Record> out = new LinkedHashMap<>(all.size() * 2);
    for (int j = 0; j < order.length; j++) {
      int i = order[j];
      Name name = all.get(i);
      byte[] next = hashes[order[(j + 1) % order.length]];
      Map<Integer, List<Record>> at = data.get(name);
      Set<Integer> types = new TreeSet<>();
      if (at != null) {
        types.addAll(at.keySet());
        if (!cuts.contains(name) || at.containsKey(Type.DS)) {
          types.add(Type.RRSIG);
        }
      }
      Name owner = owner(hashes[i], origin);
      out.put(owner, new NSEC3Record(owner, DClass.IN, ttl, SHA1, 0, ITERATIONS, SALT, next, ints(types)));
    }
    return out;
  }

  /** The NSEC at {@code name} pointing at {@code next}: its bitmap the types there, RRSIG and NSEC. */
  static NSECRecord nsec(Name name, Name next, Collection<Integer> dataTypes, long ttl) {
    Set<Integer> types = new TreeSet<>(dataTypes);
    types.add(Type.RRSIG);
    types.add(Type.NSEC);
    return new NSECRecord(name, DClass.IN, ttl, next, ints(types));
  }

  /**
   * The NSEC3 owned by {@code owner} (a hashed owner name) pointing at the hash in {@code nextOwner}'s
   * first label; its bitmap the types at the name and RRSIG where there are any (no delegation here).
   */
  static NSEC3Record nsec3(Name owner, Name nextOwner, Collection<Integer> dataTypes, long ttl) {
    Set<Integer> types = new TreeSet<>(dataTypes);
    if (!types.isEmpty()) {
      types.add(Type.RRSIG);
    }
    byte[] next = BASE32HEX.fromString(nextOwner.getLabelString(0));
    return new NSEC3Record(owner, DClass.IN, ttl, SHA1, 0, ITERATIONS, SALT, next, ints(types));
  }

  /**
   * The NSEC3 owner name of {@code name}: its hash in base32hex under the apex. base32hex keeps the
   * order of what it encodes (RFC 4648 7), so the owners' canonical order is the hashes' order.
   */
  static Name hashedOwner(Name name, Name origin) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-1", e);
    }
    sha1.update(name.canonicalize().toWireCanonical());
    sha1.update(SALT);
    return owner(sha1.digest(), origin);
  }

  private static Name owner(byte[] hash, Name origin) {
    try {
      return Name.fromString(BASE32HEX.toString(hash).toLowerCase(Locale.ROOT), origin);
    } catch (TextParseException e) {
      throw new IllegalStateException("hash label is not a name", e);
    }
  }

  /** The name one label up, or null at the apex. */
  private static Name parent(Name name, Name origin) {
    return name.labels() > origin.labels() ? new Name(name, 1) : null;
  }

  private static int[] ints(Collection<Integer> types) {
    return types.stream().mapToInt(Integer::intValue).toArray();
  }
}
