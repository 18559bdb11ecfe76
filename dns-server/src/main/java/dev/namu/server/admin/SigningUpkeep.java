package dev.namu.server.admin;

import dev.namu.zones.edit.EditOutcome;
import dev.namu.zones.edit.ZoneEditor;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.sign.ZoneSigning;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * The timer of the zones namud signs: each signed zone whose upkeep is due (a signature with less
 * than a quarter of its validity left, a key rollover step) gets it from its one writer,
 * {@link ZoneEditor#maintainSigning}, which publishes the new snapshot like any edit.
 *
 * <p>It looks every second, so a rollover step is taken when its wait (the DNSKEY TTL or the
 * zone's largest TTL, and the propagation delay) is over, not up to a minute later: with a zone of
 * short TTLs a whole rollover takes seconds. When a zone is due is worked out again only when its
 * snapshot or its keys changed (an edit, a step, another namud's change read from a shared store),
 * since it reads every record of the zone.
 *
 * <p>namud sharing a store each run this upkeep; the store orders their key changes (the keys a
 * step starts from are checked when it is written, {@code ZoneStore#replaceSigning}), so one takes
 * a step and the others read its keys and find nothing left to do.
 */
final class SigningUpkeep implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SigningUpkeep.class);
  /** How often the zones are looked at: the precision of a rollover step's timing. */
  private static final long PERIOD_MILLIS = 1000;
  /**
   * After a failed upkeep (or one that found nothing to do though due), the wait before the zone is
   * tried again, so a failing store is not hammered.
   */
  private static final long RETRY_SECONDS = 60;

  private final ZoneEditor editor;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  /** When each zone is due, for the snapshot and keys it was worked out from; the timer thread's alone. */
  private final Map<Name, Due> dues = new HashMap<>();

  /** When a zone is due, worked out from this snapshot and these keys (compared by identity). */
  private record Due(ZoneSnapshot zone, ZoneSigning signing, Optional<Instant> at) {}

  private SigningUpkeep(ZoneEditor editor, Clock clock) {
    this.editor = editor;
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "namu-signing");
      t.setDaemon(true);
      return t;
    });
  }

  static SigningUpkeep start(ZoneEditor editor, Clock clock) {
    SigningUpkeep upkeep = new SigningUpkeep(editor, clock);
    upkeep.timer.scheduleWithFixedDelay(upkeep::runDue, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    return upkeep;
  }

  /** Runs the upkeep of every signed zone that is due; a failure is logged and tried again a minute later. */
  void runDue() {
    Instant now = clock.instant();
    dues.keySet().retainAll(editor.signedZones());
    for (Name origin : editor.signedZones()) {
      try {
        Optional<Instant> due = due(origin);
        if (due.isPresent() && !due.get().isAfter(now)) {
          EditOutcome out = editor.maintainSigning(origin, "signer");
          if (out instanceof EditOutcome.Rejected r) {
            failed(origin, now, r.message());
          } else if (due(origin).filter(at -> !at.isAfter(now)).isPresent()) {
            // due still, with nothing left to do: looked at again in a minute, not every second
            dues.put(origin, new Due(dues.get(origin).zone(), dues.get(origin).signing(),
                Optional.of(now.plusSeconds(RETRY_SECONDS))));
          }
        }
      } catch (RuntimeException e) {
        failed(origin, now, e.toString());
      }
    }
  }

  private Optional<Instant> due(Name origin) {
    ZoneSnapshot zone = editor.zone(origin).orElse(null);
    ZoneSigning signing = editor.signing(origin).orElse(null);
    Due known = dues.get(origin);
    if (known != null && known.zone() == zone && known.signing() == signing) {
      return known.at();
    }
    Optional<Instant> at = editor.signingDue(origin);
    dues.put(origin, new Due(zone, signing, at));
    return at;
  }

  private void failed(Name origin, Instant now, String why) {
    log.error("zone {}: signing upkeep failed, tried again in a minute: {}", origin, why);
    dues.put(origin, new Due(editor.zone(origin).orElse(null), editor.signing(origin).orElse(null),
        Optional.of(now.plusSeconds(RETRY_SECONDS))));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
