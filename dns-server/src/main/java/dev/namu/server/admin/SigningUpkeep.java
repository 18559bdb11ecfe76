package dev.namu.server.admin;

import dev.namu.zones.edit.EditOutcome;
import dev.namu.zones.edit.ZoneEditor;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * The timer of the zones namud signs: once a minute, each signed zone whose upkeep is due (a
 * signature with less than a quarter of its validity left, a key rollover step) gets it from its one
 * writer, {@link ZoneEditor#maintainSigning}, which publishes the new snapshot like any edit.
 */
final class SigningUpkeep implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SigningUpkeep.class);
  /** How often the zones are looked at; signatures are refreshed days before they expire. */
  private static final long PERIOD_SECONDS = 60;

  private final ZoneEditor editor;
  private final Clock clock;
  private final ScheduledExecutorService timer;

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
    upkeep.timer.scheduleWithFixedDelay(upkeep::runDue, 1, PERIOD_SECONDS, TimeUnit.SECONDS);
    return upkeep;
  }

  /** Runs the upkeep of every signed zone that is due; a failure is logged and tried again next time. */
  void runDue() {
    Instant now = clock.instant();
    for (Name origin : editor.signedZones()) {
      try {
        Optional<Instant> due = editor.signingDue(origin);
        if (due.isPresent() && !due.get().isAfter(now)) {
          EditOutcome out = editor.maintainSigning(origin, "signer");
          if (out instanceof EditOutcome.Rejected r) {
            log.error("zone {}: signing upkeep failed, tried again in a minute: {}", origin, r.message());
          }
        }
      } catch (RuntimeException e) {
        log.error("zone {}: signing upkeep failed, tried again in a minute: {}", origin, e.toString());
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
