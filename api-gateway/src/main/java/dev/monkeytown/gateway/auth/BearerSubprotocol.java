package dev.monkeytown.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import io.vertx.core.MultiMap;

/**
 * A bearer token carried as a WebSocket subprotocol, {@code base64url.bearer.monkeytown.<base64url(token)>}: the one
 * header a browser's {@code new WebSocket(url, protocols)} lets a page set. The Kubernetes API server does the same
 * with {@code base64url.bearer.authorization.k8s.io.}. The entry is a credential, not a protocol: the gateway removes
 * it before the upgrade goes on, and the service picks one of the real protocols offered next to it.
 */
public final class BearerSubprotocol {

    static final String HEADER = "Sec-WebSocket-Protocol";
    static final String PREFIX = "base64url.bearer.monkeytown.";

    private BearerSubprotocol() {
    }

    /** One entry per bearer subprotocol offered: the token, or empty if it does not decode to a well-formed token. */
    static List<Optional<String>> tokens(MultiMap headers) {
        List<Optional<String>> tokens = new ArrayList<>();
        for (String protocol : offered(headers)) {
            if (protocol.startsWith(PREFIX)) {
                tokens.add(decode(protocol.substring(PREFIX.length())).flatMap(AuthenticationRoute::wellFormed));
            }
        }
        return tokens;
    }

    /**
     * Removes the bearer entries from the headers to forward, keeping the other protocols in the client's order, and
     * the header itself when none is left. Applied whether or not the token was valid.
     */
    public static void removeFrom(MultiMap headers) {
        if (!headers.contains(HEADER)) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String protocol : offered(headers)) {
            if (!protocol.startsWith(PREFIX)) {
                kept.add(protocol);
            }
        }
        headers.remove(HEADER);
        if (!kept.isEmpty()) {
            headers.set(HEADER, String.join(", ", kept));
        }
    }

    /** The offered protocols: the header may be repeated, and each one is a comma-separated list (RFC 6455 11.3.4). */
    private static List<String> offered(MultiMap headers) {
        List<String> protocols = new ArrayList<>();
        for (String value : headers.getAll(HEADER)) {
            for (String protocol : value.split(",")) {
                String trimmed = protocol.trim();
                if (!trimmed.isEmpty()) {
                    protocols.add(trimmed);
                }
            }
        }
        return protocols;
    }

    private static Optional<String> decode(String encoded) {
        if (encoded.isEmpty() || encoded.contains("=")) {
            return Optional.empty(); // unpadded by definition; '=' is not even allowed in a protocol name
        }
        try {
            // non-ASCII bytes decode to characters the token shape check then refuses
            return Optional.of(new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
