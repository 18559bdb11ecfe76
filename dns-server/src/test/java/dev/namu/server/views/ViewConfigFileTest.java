package dev.namu.server.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.config.ConfigBinder;
import dev.namu.server.config.ConfigFileReader;
import dev.namu.server.config.NamudCommandLine;
import dev.namu.server.config.ServerConfig;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/** Views as namud reads them: the config file's {@code views:} and the {@code --view} flag mean the same. */
class ViewConfigFileTest {
  @TempDir Path dir;

  private ServerConfig read(String yaml) throws Exception {
    Path file = Files.writeString(dir.resolve("namud.yaml"), yaml);
    return ConfigBinder.bind(ConfigFileReader.read(file), Set.of(), List.of());
  }

  @Test
  void theFilesViewsAreTheFlagsViewsInOrder() throws Exception {
    ServerConfig file = read("views:\n"
        + "  inside: {match-clients: [127.0.0.2/32, 192.168.0.0/16, key lan-key.]}\n"
        + "  guests:\n"
        + "    match-clients: 192.168.0.0/24\n");
    ServerConfig flags = NamudCommandLine.parse("--view", "inside=127.0.0.2/32,192.168.0.0/16,key lan-key.",
        "--view", "guests=192.168.0.0/24");
    assertEquals(flags.views(), file.views());
    ViewConfig views = file.views();
    assertEquals(List.of("inside", "guests"), views.views().stream().map(ViewDefinition::name).toList());
    // first match wins: 192.168.0.5 is in both, and inside comes first
    assertEquals(0, views.match(InetAddress.getByName("192.168.0.5"), null));
    assertEquals(-1, views.match(InetAddress.getByName("10.0.0.1"), null));
    assertEquals(0, views.match(InetAddress.getByName("10.0.0.1"), new Name("lan-key.")));
  }

  @Test
  void aViewWithoutClientsIsAOneLineErrorWithItsLine() {
    Exception e = assertThrows(Exception.class, () -> read("views:\n  inside: {}\n"));
    assertTrue(e.getMessage().contains("namud.yaml:2") && e.getMessage().contains("match-clients"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @Test
  void aBadFlagValueIsAOneLineError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NamudCommandLine.parse("--view", "inside"));
    assertTrue(e.getMessage().startsWith("--view inside: expected NAME=KEY|CIDR"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> NamudCommandLine.parse("--view", "in side=10.0.0.0/8"));
    assertTrue(e.getMessage().contains("view name 'in side'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> NamudCommandLine.parse("--view", "inside=10.0.0.0/33"));
    assertTrue(e.getMessage().startsWith("--view inside: "), e.getMessage());
  }
}
