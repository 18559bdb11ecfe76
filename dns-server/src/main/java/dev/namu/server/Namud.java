package dev.namu.server;

import dev.namu.server.admin.AdminServices;
import dev.namu.server.admin.StoreOpener;
import dev.namu.server.config.ConfigFileException;
import dev.namu.server.config.ConfigLoader;
import dev.namu.server.config.ConfigSource;
import dev.namu.server.config.NamudCommandLine;
import dev.namu.server.config.ServerConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import sun.misc.Signal;

/** {@code namud}: the command line. Exit 0 after SIGTERM/SIGINT, 1 when it cannot start, 2 for bad flags. */
public final class Namud {
  private static final Logger log = LoggerFactory.getLogger(Namud.class);

  private Namud() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, ConfigLoader.defaultFile(System.getenv()));
  }

  /** As {@link #run(String[], PrintStream, PrintStream)}, with the config file read without --config. */
  static int run(String[] args, PrintStream out, PrintStream err, Path defaultConfig) {
    CommandLine cl = NamudCommandLine.commandLine();
    ServerConfig config;
    try {
      cl.parseArgs(args);
      if (cl.isUsageHelpRequested()) {
        cl.usage(out);
        return 0;
      }
      if (cl.isVersionHelpRequested()) {
        cl.printVersionHelp(out);
        return 0;
      }
      config = ConfigLoader.load(cl.getParseResult(), defaultConfig);
    } catch (ConfigFileException e) {
      err.println(e.getMessage());
      return 1;
    } catch (CommandLine.ParameterException | IllegalArgumentException e) {
      err.println("namud: " + e.getMessage() + " (see namud --help)");
      return 2;
    }
    if (((NamudCommandLine) cl.getCommand()).check()) {
      return NamudCheck.run(config, ((NamudCommandLine) cl.getCommand()).json(), out, err);
    }
    CountDownLatch stop = new CountDownLatch(1);
    // before anything starts: a SIGTERM while namud starts is a stop (exit 0), not the JVM's 143,
    // and a SIGHUP is a reload once live editing runs, never the JVM's exit
    onStopSignal(stop);
    AtomicReference<AdminServices> live = new AtomicReference<>();
    AtomicBoolean reloadAsked = new AtomicBoolean();
    onReloadSignal(live, reloadAsked);
    NamudServer server;
    try {
      // answering from the zone files as soon as the sockets are bound; the store opens meanwhile
      // a reload reads the same command line and config file again
      server = NamudServer.launch(
          config, ConfigSource.commandLine(List.of(args), defaultConfig), StoreOpener.warmingEdits());
    } catch (NamudStartException e) {
      err.println("namud: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      return bug(e, err);
    }
    // also on other ways out of the JVM (SIGHUP for now, System.exit elsewhere)
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "namud-shutdown"));
    try {
      // a store that cannot be opened still ends namud, with its one line and exit 1
      server.awaitStore();
    } catch (NamudStartException e) {
      err.println("namud: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      return bug(e, err);
    }
    live.set(server.admin());
    reloadIfAsked(live, reloadAsked);
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("stopping: finishing answers in flight");
    server.close();
    return 0;
  }

  /** A bug of ours, not the user's: still one line, the detail at debug level. */
  private static int bug(RuntimeException e, PrintStream err) {
    err.println("namud: could not start: " + e);
    log.debug("start-up failure", e);
    return 1;
  }

  /**
   * SIGHUP reloads the settings and the zone files. One that comes while namud starts (its API may
   * already answer while the store finishes opening) is kept and carried out once live editing
   * runs: whoever edited a file and signalled expects it read.
   */
  private static void onReloadSignal(AtomicReference<AdminServices> live, AtomicBoolean reloadAsked) {
    try {
      Signal.handle(new Signal("HUP"), s -> {
        reloadAsked.set(true);
        if (live.get() == null) {
          log.info("SIGHUP while starting: the reload runs once the zone store is open");
        }
        reloadIfAsked(live, reloadAsked);
      });
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      log.warn("cannot handle SIGHUP here ({}); reload with 'namuctl server reload'", e.getMessage());
    }
  }

  /**
   * Runs the reload a SIGHUP asked for once live editing runs; called by the signal and once at
   * the end of the start, so a signal between the two is carried out exactly once.
   */
  private static void reloadIfAsked(AtomicReference<AdminServices> live, AtomicBoolean reloadAsked) {
    AdminServices admin = live.get();
    if (admin != null && reloadAsked.getAndSet(false)) {
      admin.reloadInBackground();
    }
  }

  /**
   * SIGTERM and SIGINT end namud with exit status 0 after a graceful stop. With a plain shutdown
   * hook the JVM would exit 143/130; handling the signals lets main return normally.
   */
  private static void onStopSignal(CountDownLatch stop) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), s -> stop.countDown());
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // the signal is reserved here (say, INT ignored by a parent shell); the hook still stops us
        log.debug("cannot handle SIG{}: {}", name, e.toString());
      }
    }
  }
}
