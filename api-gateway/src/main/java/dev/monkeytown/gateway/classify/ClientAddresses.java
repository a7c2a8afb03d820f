package dev.monkeytown.gateway.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who the client is, by address. The socket's peer, unless that peer is one of our trusted proxies: then
 * {@code X-Forwarded-For} is read from the right, skipping further trusted proxies, and the first address not ours is
 * the client. Anything left of it was written by the client and proves nothing.
 */
final class ClientAddresses {

    private final List<Cidr> trustedProxies;

    ClientAddresses(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    static ClientAddresses from(Optional<List<String>> cidrs) {
        return new ClientAddresses(cidrs.orElse(List.of()).stream()
                .filter(text -> !text.isBlank())
                .map(Cidr::parse)
                .toList());
    }

    /**
     * @param socketAddress the peer's address as the socket reports it; null when unknown
     * @param forwardedFor every {@code X-Forwarded-For} header value, in order
     * @return the rate limit key of the client
     */
    String clientKey(String socketAddress, List<String> forwardedFor) {
        Optional<IpAddress> peer = socketAddress == null ? Optional.empty() : IpAddress.parse(socketAddress);
        if (peer.isEmpty()) {
            return "unknown"; // e.g. a Unix socket: all such callers share one bucket
        }
        IpAddress hop = peer.get();
        if (!isTrusted(hop)) {
            return hop.clientKey();
        }
        List<String> chain = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String entry : header.split(",")) {
                if (!entry.isBlank()) {
                    chain.add(entry);
                }
            }
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            Optional<IpAddress> previous = IpAddress.parse(chain.get(i));
            if (previous.isEmpty()) {
                return hop.clientKey(); // our proxy wrote something unusable: the last hop we can vouch for
            }
            hop = previous.get();
            if (!isTrusted(hop)) {
                return hop.clientKey();
            }
        }
        return hop.clientKey(); // all of the chain is ours: its left-most
    }

    private boolean isTrusted(IpAddress address) {
        return trustedProxies.stream().anyMatch(cidr -> cidr.contains(address));
    }
}
