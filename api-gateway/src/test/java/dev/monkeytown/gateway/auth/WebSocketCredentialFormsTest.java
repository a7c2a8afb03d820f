package dev.monkeytown.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.vertx.core.MultiMap;

/** The two credential forms only {@code /ws} accepts: reading them, and removing them from what is forwarded. */
class WebSocketCredentialFormsTest {

    @Test
    void accessTokenIsReadDecodedAndMalformedOnesAreKeptAsEmpty() {
        assertEquals(List.of(), AccessTokenQuery.tokens(null));
        assertEquals(List.of(), AccessTokenQuery.tokens("after=3&access_tokens=x"));
        assertEquals(List.of(Optional.of("abc+/=")), AccessTokenQuery.tokens("a=1&access_token=abc%2B%2F%3D"));
        assertEquals(List.of(Optional.of("abc")), AccessTokenQuery.tokens("access%5Ftoken=abc"));
        assertEquals(List.of(Optional.empty(), Optional.empty(), Optional.empty()),
                AccessTokenQuery.tokens("access_token&access_token=&access_token=%zz"));
        assertEquals(List.of(Optional.empty()), AccessTokenQuery.tokens("access_token=two+words"));
        assertEquals(2, AccessTokenQuery.tokens("access_token=a&access_token=b").size());
    }

    @Test
    void theQueryLosesEveryAccessTokenAndKeepsTheRestAsEncoded() {
        assertEquals("after=3&q=a%20b+c&x", AccessTokenQuery.without("after=3&access_token=t&q=a%20b+c&x"));
        assertEquals("a=1", AccessTokenQuery.without("access_token=t&a=1&access%5Ftoken=u&access_token"));
        assertEquals("access_token2=keep&broken=%zz", AccessTokenQuery.without("access_token2=keep&broken=%zz"));
        assertNull(AccessTokenQuery.without("access_token=t"));
        assertNull(AccessTokenQuery.without(null));
    }

    @Test
    void subprotocolTokensAreBase64urlWithoutPadding() {
        String token = "tok.en-~+/_";
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
        MultiMap headers = protocols("monkeytown.v1, " + BearerSubprotocol.PREFIX + encoded);
        assertEquals(List.of(Optional.of(token)), BearerSubprotocol.tokens(headers));

        assertEquals(List.of(), BearerSubprotocol.tokens(protocols("monkeytown.v1")));
        assertEquals(List.of(Optional.empty()), BearerSubprotocol.tokens(protocols(BearerSubprotocol.PREFIX)));
        assertEquals(List.of(Optional.empty()), BearerSubprotocol.tokens(protocols(BearerSubprotocol.PREFIX + "*!")));
        assertEquals(List.of(Optional.empty()), // "two words" decodes, but is no token
                BearerSubprotocol.tokens(protocols(BearerSubprotocol.PREFIX + "dHdvIHdvcmRz")));
        assertEquals(List.of(Optional.empty()), BearerSubprotocol.tokens(protocols(BearerSubprotocol.PREFIX + "YQ==")));
    }

    @Test
    void repeatedProtocolHeadersAreOneList() {
        MultiMap headers = protocols("a," + BearerSubprotocol.PREFIX + "YQ").add(BearerSubprotocol.HEADER,
                BearerSubprotocol.PREFIX + "Yg, b");
        assertEquals(List.of(Optional.of("a"), Optional.of("b")), BearerSubprotocol.tokens(headers));

        BearerSubprotocol.removeFrom(headers);
        assertEquals(List.of("a, b"), headers.getAll(BearerSubprotocol.HEADER));
    }

    @Test
    void theBearerEntryIsRemovedAndTheOthersKeepTheirOrder() {
        MultiMap headers = protocols("x.v2, " + BearerSubprotocol.PREFIX + "YQ, monkeytown.v1");
        BearerSubprotocol.removeFrom(headers);
        assertEquals("x.v2, monkeytown.v1", headers.get(BearerSubprotocol.HEADER));

        MultiMap only = protocols(BearerSubprotocol.PREFIX + "YQ");
        BearerSubprotocol.removeFrom(only);
        assertFalse(only.contains(BearerSubprotocol.HEADER));

        MultiMap none = MultiMap.caseInsensitiveMultiMap().add("Other", "x");
        BearerSubprotocol.removeFrom(none);
        assertEquals(1, none.size());
    }

    private static MultiMap protocols(String value) {
        return MultiMap.caseInsensitiveMultiMap().add(BearerSubprotocol.HEADER, value);
    }
}
