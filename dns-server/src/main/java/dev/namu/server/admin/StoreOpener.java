package dev.namu.server.admin;

import dev.namu.server.config.AdminConfig;
import dev.namu.zones.store.ZoneStore;

/**
 * Opens the zone store for a configuration: {@link AdminServices#openStore} in namud; tests give
 * their own to hold the store back while they query.
 */
@FunctionalInterface
public interface StoreOpener {
  /**
   * @throws IllegalStateException with a one-line reason when an explicitly given data directory or
   *     store cannot be used
   */
  ZoneStore open(AdminConfig config);

  /**
   * Runs once the stored zones are served, before the admin API and UPDATE start: namud warms its
   * edit path there ({@link EditWarmup}); by default nothing.
   */
  default void beforeEditsStart(AdminConfig config) {}

  /** Opens the store as namud does, and warms the edit path when the admin API is to run. */
  static StoreOpener warmingEdits() {
    return new StoreOpener() {
      @Override
      public ZoneStore open(AdminConfig config) {
        return AdminServices.openStore(config);
      }

      @Override
      public void beforeEditsStart(AdminConfig config) {
        if (config.api().isPresent()) {
          EditWarmup.run(config.dataDir());
        }
      }
    };
  }
}
