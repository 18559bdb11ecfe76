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
}
