package dev.namu.server.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.namu.zones.file.ZoneDirectory;
import dev.namu.zones.file.ZoneDirectoryLoad;
import dev.namu.zones.model.ZoneSnapshot;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** namud loads every differential zone without a problem, so all differences are about answers. */
class DifferentialZonesTest {

    @TempDir
    Path temp;

    @Test
    void everyDifferentialZoneLoads() {
        ServedZones zones = ServedZones.copyOfResource("differential", temp.resolve("zones"));
        ZoneDirectoryLoad load = ZoneDirectory.loadAll(zones.dir());
        assertEquals(List.of(), load.problems());
        assertEquals(zones.origins().stream().sorted().toList(),
                load.zones().stream().map(ZoneSnapshot::origin).sorted().toList());
    }

    /**
     * The signed zones (dnssec-signzone, ldns-signzone) load without a problem or a warning: an
     * RRSIG has the TTL of the RRset it covers, so RRSIGs of different TTLs at one name are right.
     */
    @Test
    void everySignedZoneLoadsWithoutWarnings() {
        ServedZones zones = ServedZones.copyOfResource("differential-signed", temp.resolve("signed"));
        ZoneDirectoryLoad load = ZoneDirectory.loadAll(zones.dir());
        assertEquals(List.of(), load.problems());
        assertEquals(zones.origins().stream().sorted().toList(),
                load.zones().stream().map(ZoneSnapshot::origin).sorted().toList());
        assertEquals(List.of(), load.zones().stream().flatMap(z -> z.warnings().stream()).toList());
    }
}
