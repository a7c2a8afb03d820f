package dev.monkeytown.gateway.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * {@code Authorization: Basic base64(<user>:<password>)} (RFC 7617) as registry clients send it: the password is a
 * suite token, the user name is ignored — the token alone says who the caller is, as a bearer token does. So a client
 * configured with any user name works, and no user name can make a token somebody else's.
 */
final class BasicCredentials {

    private static final String SCHEME = "basic ";

    private BasicCredentials() {
    }

    /** The password of a well-formed Basic header, if it has a token's shape; empty for anything else. */
    static Optional<String> passwordOf(String authorization) {
        if (authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        String decoded;
        try {
            byte[] bytes = Base64.getDecoder().decode(authorization.substring(SCHEME.length()).trim());
            decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':'); // RFC 7617: the user name cannot hold a colon, the password can
        if (colon < 0) {
            return Optional.empty();
        }
        return AuthenticationRoute.wellFormed(decoded.substring(colon + 1));
    }
}
