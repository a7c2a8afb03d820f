package dev.monkeytown.gateway.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code access_token} query parameter of RFC 6750 2.3, accepted on {@code /ws} only. The query is read raw, not
 * through Vert.x's decoded parameters, so that removing the token leaves every other parameter byte for byte as the
 * client encoded it.
 */
public final class AccessTokenQuery {

    static final String PARAMETER = "access_token";

    private AccessTokenQuery() {
    }

    /** One entry per {@code access_token} in the query: the token, or empty if it is not a well-formed token. */
    static List<Optional<String>> tokens(String rawQuery) {
        List<Optional<String>> tokens = new ArrayList<>();
        if (rawQuery == null) {
            return tokens;
        }
        for (String pair : rawQuery.split("&")) {
            if (isAccessToken(pair)) {
                int equals = pair.indexOf('=');
                tokens.add(equals < 0
                        ? Optional.empty()
                        : decode(pair.substring(equals + 1)).flatMap(AuthenticationRoute::wellFormed));
            }
        }
        return tokens;
    }

    /**
     * The query to forward: without any {@code access_token}, the rest unchanged and in order; null when nothing is
     * left. Applied whether or not the token was valid, so no token ever reaches a service.
     */
    public static String without(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        List<String> kept = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (!pair.isEmpty() && !isAccessToken(pair)) {
                kept.add(pair);
            }
        }
        return kept.isEmpty() ? null : String.join("&", kept);
    }

    private static boolean isAccessToken(String pair) {
        int equals = pair.indexOf('=');
        // decoded, as a server would decode it: "access%5Ftoken" is the same parameter and must not slip through
        return decode(equals < 0 ? pair : pair.substring(0, equals)).filter(PARAMETER::equals).isPresent();
    }

    private static Optional<String> decode(String text) {
        try {
            return Optional.of(URLDecoder.decode(text, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a broken %-escape
        }
    }
}
