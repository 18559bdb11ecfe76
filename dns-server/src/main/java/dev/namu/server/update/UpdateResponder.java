package dev.namu.server.update;

import dev.namu.zones.edit.EditOutcome;
import dev.namu.zones.edit.RejectReason;
import dev.namu.zones.edit.ScopeCheck;
import dev.namu.zones.edit.ScopeRefusal;
import dev.namu.zones.edit.ZoneEditor;
import dev.namu.zones.store.EditScope;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Decides RFC 2136 UPDATE messages. Order of checks: TSIG (RFC 8945 5.2, checked before anything
 * else by {@link TsigKeyring#check}: no TSIG is REFUSED, an unknown key, bad MAC or bad time
 * NOTAUTH with BADKEY, BADSIG or BADTIME), zone section (3.1), then prerequisites and updates
 * applied through the {@link ZoneEditor} as one atomic, journaled edit. Every rejection changes
 * nothing.
 */
public final class UpdateResponder {

  private static final Logger log = LoggerFactory.getLogger(UpdateResponder.class);

  /** The rcode for each way an edit is rejected (RFC 2136 3.2.1, 3.3.1, 3.4). */
  private static final Map<RejectReason, Integer> REJECTIONS = Map.of(
      RejectReason.NAME_NOT_IN_USE, Rcode.NXDOMAIN, RejectReason.NAME_IN_USE, Rcode.YXDOMAIN,
      RejectReason.RRSET_MISSING, Rcode.NXRRSET, RejectReason.RRSET_EXISTS, Rcode.YXRRSET,
      RejectReason.NO_SUCH_ZONE, Rcode.NOTAUTH, RejectReason.STORE_FAILED, Rcode.SERVFAIL);

  private final ZoneEditor editor;
  private final Function<Name, Optional<EditScope>> scopes;
  /** The views of split horizon, or null: an UPDATE signed with a key a view matches edits the view. */
  private final ViewEdits views;

  /** @param scopes what the key of each name may change (empty: nothing, the key is gone) */
  public UpdateResponder(ZoneEditor editor, Function<Name, Optional<EditScope>> scopes) {
    this(editor, scopes, null);
  }

  /** As above; an UPDATE signed with a key one of {@code views} (null: none) matches edits that view. */
  public UpdateResponder(ZoneEditor editor, Function<Name, Optional<EditScope>> scopes, ViewEdits views) {
    this.editor = editor;
    this.scopes = scopes;
    this.views = views;
  }

  /**
   * The rcode of the reply to one UPDATE message whose TSIG verdict is {@code signature}; the
   * reply (header and zone section, RFC 2136 3.8, signed as the request was) is the reply
   * writer's. Never throws: a failure of ours is SERVFAIL.
   */
  public int respond(Message request, RequestSignature signature, InetAddress client) {
    try {
      if (signature instanceof RequestSignature.Unsigned) {
        log.info("UPDATE from {} refused: not signed with a TSIG key", client.getHostAddress());
        return Rcode.REFUSED;
      }
      if (signature.refusal() != Rcode.NOERROR) {
        return signature.refusal();
      }
      return process(request, request.getTSIG().getName());
    } catch (RuntimeException e) {
      log.error("UPDATE from {} failed unexpectedly: {}", client.getHostAddress(), e.toString());
      log.debug("UPDATE failure detail", e);
      return Rcode.SERVFAIL;
    }
  }

  private int process(Message request, Name keyName) {
    // RFC 2136 3.1.1: exactly one zone, type SOA, class IN (the class the zone is served in).
    List<Record> zones = request.getSection(Section.ZONE);
    if (zones.size() != 1 || zones.get(0).getType() != Type.SOA) {
      return Rcode.FORMERR;
    }
    Record zoneRecord = zones.get(0);
    if (zoneRecord.getDClass() != DClass.IN) {
      return Rcode.NOTAUTH;
    }
    Name zone = zoneRecord.getName();
    Optional<EditScope> scope = scopes.apply(keyName);
    if (scope.isEmpty() || !scope.get().coversZone(zone)) {
      // RFC 2136 3.3: no permission; asked before whether the zone is served, so a scoped key
      // learns nothing of the zones outside its scope
      log.info("UPDATE of {} by key {} refused: the key may not change that zone", zone, keyName);
      return Rcode.REFUSED;
    }
    Optional<String> view = views == null ? Optional.empty() : views.viewOfKey(keyName);
    if (view.isPresent()) {
      return updateView(request, zone, keyName, scope.get(), view.get());
    }
    if (editor.zone(zone).isEmpty()) {
      log.info("UPDATE for {} refused: not an editable zone here", zone);
      return Rcode.NOTAUTH;
    }
    UpdateTranslator.Translation t = UpdateTranslator.translate(request, zone);
    if (t.change() == null) {
      return t.rcode();
    }
    Optional<ScopeRefusal> outside = ScopeCheck.refusal(scope.get(), t.change());
    if (outside.isPresent()) {
      // RFC 2136 3.3.2: the whole update is refused, nothing of it applied
      log.info("UPDATE of {} by key {} refused: {} ({})", zone, keyName, outside.get().message(),
          scope.get().describe());
      return Rcode.REFUSED;
    }
    EditOutcome outcome = editor.edit(t.change(), "key:" + keyName);
    if (outcome instanceof EditOutcome.Applied applied) {
      if (applied.changed()) {
        log.info("UPDATE of {} by key {} applied, serial {}", zone, keyName,
            applied.diffs().get(0).after().map(z -> z.serial()).orElse(-1L));
      }
      return Rcode.NOERROR;
    }
    EditOutcome.Rejected rejected = (EditOutcome.Rejected) outcome;
    log.info("UPDATE of {} by key {} rejected: {}", zone, keyName, rejected.message());
    // A result that would not be a valid zone is refused, as BIND does for such updates.
    return REJECTIONS.getOrDefault(rejected.reason(), Rcode.REFUSED);
  }

  /**
   * An UPDATE signed with a key a view matches (BIND's match-clients "key NAME" picks the view an
   * UPDATE goes to): it changes the view's records alone, never the common zone.
   */
  private int updateView(Message request, Name zone, Name keyName, EditScope scope, String view) {
    if (!views.serves(zone)) {
      log.info("UPDATE of view {} of {} refused: no such zone is served here", view, zone);
      return Rcode.NOTAUTH;
    }
    UpdateTranslator.Translation t = UpdateTranslator.translate(request, zone);
    if (t.change() == null) {
      return t.rcode();
    }
    if (!t.change().prerequisites().isEmpty()) {
      // the prerequisites of RFC 2136 3.2 are checked against one zone's data; a view's records
      // are not one, so an update that needs them is refused rather than half-checked
      log.info("UPDATE of view {} of {} by key {} refused: prerequisites are not supported in a view", view, zone,
          keyName);
      return Rcode.REFUSED;
    }
    Optional<ScopeRefusal> outside = ScopeCheck.refusal(scope, t.change());
    if (outside.isPresent()) {
      log.info("UPDATE of {} by key {} refused: {} ({})", zone, keyName, outside.get().message(), scope.describe());
      return Rcode.REFUSED;
    }
    try {
      views.edit(view, zone, t.change().operations());
    } catch (IllegalArgumentException e) {
      log.info("UPDATE of view {} of {} by key {} refused: {}", view, zone, keyName, e.getMessage());
      return Rcode.REFUSED;
    } catch (IllegalStateException e) {
      log.info("UPDATE of view {} of {} by key {} failed: {}", view, zone, keyName, e.getMessage());
      return Rcode.SERVFAIL;
    }
    log.info("UPDATE of view {} of {} by key {} applied", view, zone, keyName);
    return Rcode.NOERROR;
  }
}
