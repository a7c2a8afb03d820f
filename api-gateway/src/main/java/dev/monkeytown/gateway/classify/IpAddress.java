package dev.monkeytown.gateway.classify;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

import io.netty.util.NetUtil;

/**
 * An IPv4 or IPv6 address parsed from text without any name lookup (client-supplied text must never reach DNS).
 * IPv4-mapped IPv6 addresses count as the IPv4 address they carry, so a dual-stack socket and a proxy agree.
 */
record IpAddress(byte[] bytes) {

    /** The address in text such as {@code 203.0.113.7}, {@code 2001:db8::1}, {@code [2001:db8::1]:443}, {@code 1.2.3.4:80}. */
    static Optional<IpAddress> parse(String text) {
        String literal = text.trim();
        if (literal.startsWith("[")) {
            int close = literal.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            literal = literal.substring(1, close);
        } else if (literal.indexOf(':') >= 0 && literal.indexOf(':') == literal.lastIndexOf(':')
                && literal.indexOf('.') >= 0) {
            literal = literal.substring(0, literal.indexOf(':')); // IPv4 with a port
        }
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
        if (bytes == null) {
            return Optional.empty();
        }
        return Optional.of(new IpAddress(unmapped(bytes)));
    }

    private static byte[] unmapped(byte[] bytes) {
        if (bytes.length == 16) {
            boolean mapped = bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
            for (int i = 0; mapped && i < 10; i++) {
                mapped = bytes[i] == 0;
            }
            if (mapped) {
                return Arrays.copyOfRange(bytes, 12, 16);
            }
        }
        return bytes;
    }

    boolean isIpv6() {
        return bytes.length == 16;
    }

    /**
     * The rate limit key: the address itself for IPv4, its /64 for IPv6 — one subscriber usually holds a whole /64 (or
     * more), so keying single IPv6 addresses would give one client 2^64 buckets.
     */
    String clientKey() {
        if (!isIpv6()) {
            return text(bytes);
        }
        byte[] prefix = Arrays.copyOf(bytes, 16);
        Arrays.fill(prefix, 8, 16, (byte) 0);
        return text(prefix) + "/64";
    }

    private static String text(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes).getHostAddress(); // from bytes: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpAddress address && Arrays.equals(bytes, address.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return text(bytes);
    }
}
