package dev.namu.server.update;

import dev.namu.zones.store.EditScope;
import dev.namu.zones.store.StoredKey;
import dev.namu.zones.store.ZoneStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * The TSIG keys namud accepts, for UPDATE and for signed queries, read from the store. Held as an
 * immutable map swapped whole by {@link #refresh} (after a key is added or deleted), so verifying
 * never locks.
 */
public final class TsigKeyring {

  private static final Logger log = LoggerFactory.getLogger(TsigKeyring.class);

  /** Algorithms accepted for keys (RFC 8945 6: SHA-256 is mandatory; MD5 and SHA-1 are not offered). */
  public static final List<String> ALGORITHMS = List.of("hmac-sha256", "hmac-sha384", "hmac-sha512");

  private final ZoneStore store;
  /** The keys and what each may change, swapped together. */
  private record Keys(Map<Name, TsigKey> keys, Map<Name, EditScope> scopes) {}

  private final AtomicReference<Keys> keys = new AtomicReference<>(new Keys(Map.of(), Map.of()));

  public TsigKeyring(ZoneStore store) {
    this.store = store;
    refresh();
  }

  /** Re-reads the keys from the store. */
  public void refresh() {
    Map<Name, TsigKey> next = new HashMap<>();
    Map<Name, EditScope> scopes = new HashMap<>();
    for (StoredKey k : store.keys()) {
      if (algorithm(k.algorithm()).isEmpty()) {
        log.warn("TSIG key {} has an algorithm namud does not accept ({}); it is ignored", k.name(), k.algorithm());
        continue;
      }
      next.put(k.name(), TsigKey.of(k.name(), k.algorithm(), java.util.Base64.getDecoder().decode(k.secret())));
      scopes.put(k.name(), k.scope());
    }
    keys.set(new Keys(Map.copyOf(next), Map.copyOf(scopes)));
    log.debug("{} TSIG keys loaded", next.size());
  }

  /**
   * Checks the TSIG of a request as RFC 8945 5.2 orders it: the key (5.2.1, BADKEY), the MAC
   * (5.2.2, BADSIG), then the time (5.2.3, BADTIME).
   *
   * @param request the request, parsed from {@code wire}
   * @param wire the request as received: the MAC covers those bytes (4.3.3)
   */
  public RequestSignature check(Message request, byte[] wire) {
    TSIGRecord tsig = request.getTSIG();
    if (tsig == null) {
      return RequestSignature.UNSIGNED;
    }
    // names compare case-insensitively (dnsjava Name equality)
    TsigKey key = keys.get().keys().get(tsig.getName());
    if (key == null) {
      return new RequestSignature.Failed(Rcode.BADKEY, tsig, null);
    }
    int verified;
    try {
      verified = verifyAsSigned(key, request, wire, tsig);
    } catch (RuntimeException e) {
      // dnsjava cannot even read the signed data: a damaged message, not our failure
      log.debug("TSIG verification could not run: {}", e.toString());
      verified = Rcode.BADSIG;
    }
    return switch (verified) {
      case Rcode.NOERROR -> new RequestSignature.Verified(key.tsig(), tsig);
      case Rcode.BADTIME -> new RequestSignature.Failed(Rcode.BADTIME, tsig, key);
      // the key's name is ours but its algorithm another: 5.2.1, the key is not known
      case Rcode.BADKEY -> new RequestSignature.Failed(Rcode.BADKEY, tsig, null);
      default -> new RequestSignature.Failed(Rcode.BADSIG, tsig, null);
    };
  }

  /**
   * Verifies the MAC over the message as its signer saw it. RFC 8945 4.2: the Original ID is the
   * message ID the MAC was computed with, and a verifier puts it back in the header when the two
   * differ (as BIND does). Kea's DHCP-DDNS signs its updates with ID 0 and then sends them under
   * another ID; dnsjava verifies over the ID in the header, so that message is copied with the
   * Original ID put back first.
   */
  private static int verifyAsSigned(TsigKey key, Message request, byte[] wire, TSIGRecord tsig) {
    int original = tsig.getOriginalID();
    if (original == request.getHeader().getID()) {
      return key.tsig().verify(request, wire, null);
    }
    byte[] signed = wire.clone();
    signed[0] = (byte) (original >>> 8);
    signed[1] = (byte) original;
    try {
      return key.tsig().verify(new Message(signed), signed, null);
    } catch (java.io.IOException e) {
      // it parsed once with the other ID; the ID cannot make it unreadable
      return Rcode.BADSIG;
    }
  }

  /**
   * What an UPDATE signed with the key {@code name} may change; empty for a key no longer held
   * (deleted since the request was verified), which may change nothing.
   */
  public Optional<EditScope> scope(Name name) {
    return Optional.ofNullable(keys.get().scopes().get(name));
  }

  /** The key of this name, to sign with (zone transfers in); empty when the keyring has none. */
  public Optional<TSIG> key(Name name) {
    return Optional.ofNullable(keys.get().keys().get(name)).map(TsigKey::tsig);
  }

  /** The algorithm of a stored key, if it is one we accept; empty otherwise. */
  public static Optional<Name> algorithm(String name) {
    if (!ALGORITHMS.contains(name)) {
      return Optional.empty();
    }
    return Optional.of(TSIG.algorithmToName(name));
  }
}
