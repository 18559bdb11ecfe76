package dev.namu.server.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * namud's logging, one line per event (time, level, where, what) on standard output, set up in code:
 * reading a logback.xml takes an XML parser and logback's configuration engine, some 600 classes
 * and a tenth of namud's start-up. Found by logback through {@code META-INF/services}. A
 * {@code logback.xml} or {@code logback-test.xml} on the class path, or
 * {@code -Dlogback.configurationFile=FILE}, still takes over, as logback documents.
 */
public final class NamudLogConfigurator extends ContextAwareBase implements Configurator {

  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0}: %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    ClassLoader loader = NamudLogConfigurator.class.getClassLoader();
    if (System.getProperty("logback.configurationFile") != null
        || loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setEncoder(encoder);
    console.start();
    // Netty's own INFO lines are about its internals, not about namud's work
    context.getLogger("io.netty").setLevel(Level.WARN);
    // Its one WARN at a clean start: no hardware address to seed channel ids with (containers), so
    // random bytes instead; ids are only names for log lines here, nothing to act on.
    context.getLogger("io.netty.util.internal.MacAddressUtil").setLevel(Level.ERROR);
    // The pool's and Flyway's INFO lines repeat the store's URL and the schema check of every start;
    // namud names its data directory once itself.
    context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
    context.getLogger("org.flywaydb").setLevel(Level.WARN);
    // Flyway 10 has not been tested with H2 2.3 and warns so at every start; the migrations are
    // plain SQL that namud's tests run on this H2, so the user has nothing to upgrade.
    context.getLogger("org.flywaydb.core.internal.database.base.Database").setLevel(Level.ERROR);
    // dnsjava's validator logs each bogus upstream answer at WARN with a stack trace; namud gives
    // the verdict itself (the extended error, namuctl explain), so a bad zone out there is no trace here
    context.getLogger("org.xbill.DNS.dnssec").setLevel(Level.ERROR);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
