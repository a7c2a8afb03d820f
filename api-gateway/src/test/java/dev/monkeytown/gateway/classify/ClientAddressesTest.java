package dev.monkeytown.gateway.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ClientAddressesTest {

    private final ClientAddresses behindProxies = ClientAddresses
            .from(Optional.of(List.of("10.0.0.0/8", "fd00::/8", "192.0.2.1")));
    private final ClientAddresses direct = ClientAddresses.from(Optional.empty());

    @Test
    void withoutTrustedProxiesTheSocketIsTheClientAndForwardedForIsIgnored() {
        assertEquals("203.0.113.9", direct.clientKey("203.0.113.9", List.of("198.51.100.1")));
        assertEquals("10.1.2.3", direct.clientKey("10.1.2.3", List.of("198.51.100.1")));
    }

    @Test
    void anUntrustedSocketsForwardedForIsIgnored() {
        assertEquals("203.0.113.9", behindProxies.clientKey("203.0.113.9", List.of("198.51.100.1")));
    }

    @Test
    void theRightMostUntrustedAddressOfTheChainIsTheClient() {
        // the client forged "1.1.1.1"; our two proxies appended what they saw
        assertEquals("198.51.100.7",
                behindProxies.clientKey("10.0.0.5", List.of("1.1.1.1, 198.51.100.7, 10.0.0.4")));
        assertEquals("198.51.100.7", behindProxies.clientKey("10.0.0.5", List.of("1.1.1.1", "198.51.100.7,10.0.0.4")),
                "several headers form one chain");
    }

    @Test
    void aTrustedSocketWithoutForwardedForIsTheClient() {
        assertEquals("10.0.0.5", behindProxies.clientKey("10.0.0.5", List.of()));
        assertEquals("10.0.0.4", behindProxies.clientKey("10.0.0.5", List.of("10.0.0.4")),
                "a chain of only our proxies: its left-most");
    }

    @Test
    void garbageInTheChainStopsAtTheLastHopWeVouchFor() {
        assertEquals("10.0.0.4", behindProxies.clientKey("10.0.0.5", List.of("198.51.100.7, evil.example, 10.0.0.4")));
        assertEquals("10.0.0.5", behindProxies.clientKey("10.0.0.5", List.of("unknown")));
    }

    @Test
    void ipv6ClientsAreKeyedByTheirSlash64() {
        assertEquals("2001:db8:1:2:0:0:0:0/64", direct.clientKey("2001:db8:1:2::1", List.of()));
        assertEquals(direct.clientKey("2001:db8:1:2::1", List.of()), direct.clientKey("2001:db8:1:2:ffff::9", List.of()));
        assertEquals("2001:db8:1:2:0:0:0:0/64",
                behindProxies.clientKey("fd00::1", List.of("[2001:db8:1:2::1]:4711, fd00::2")));
    }

    @Test
    void ipv4MappedAndPortsAreTheSameClient() {
        assertEquals("198.51.100.7", behindProxies.clientKey("::ffff:10.0.0.5", List.of("198.51.100.7:5555")));
    }

    @Test
    void noSocketAddressSharesOneBucket() {
        assertEquals("unknown", direct.clientKey(null, List.of("198.51.100.1")));
    }

    @Test
    void cidrsMatchByPrefix() {
        Cidr block = Cidr.parse("192.168.16.0/20");
        assertTrue(block.contains(IpAddress.parse("192.168.31.255").orElseThrow()));
        assertFalse(block.contains(IpAddress.parse("192.168.32.0").orElseThrow()));
        assertFalse(block.contains(IpAddress.parse("::1").orElseThrow()), "families never match");
        assertTrue(Cidr.parse("0.0.0.0/0").contains(IpAddress.parse("8.8.8.8").orElseThrow()));
        assertTrue(Cidr.parse("::1").contains(IpAddress.parse("0:0:0:0:0:0:0:1").orElseThrow()));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("proxy.internal/8"));
    }

    @Test
    void hostNamesAreNeverResolved() {
        assertTrue(IpAddress.parse("localhost").isEmpty());
        assertTrue(IpAddress.parse("example.com").isEmpty());
    }
}
