package dev.monkeytown.gateway.auth;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.monkeytown.gateway.pipeline.Principal;

/** The tokens the gateway accepts right now; immutable, swapped whole when the tokens file changes. */
final class TokenTable {

    static final TokenTable EMPTY = new TokenTable(List.of());

    private final List<TokenGrant> grants;

    private TokenTable(List<TokenGrant> grants) {
        this.grants = grants;
    }

    static TokenTable of(List<TokenGrant> grants) {
        List<TokenGrant> checked = new ArrayList<>();
        for (TokenGrant grant : grants) {
            for (TokenGrant earlier : checked) {
                if (MessageDigest.isEqual(earlier.sha256(), grant.sha256())) {
                    throw new IllegalArgumentException("tokens of " + earlier.user() + " and " + grant.user()
                            + " have the same digest: one token cannot be two callers");
                }
            }
            checked.add(grant);
        }
        return new TokenTable(List.copyOf(checked));
    }

    /**
     * The caller a token makes, if any. Every grant is compared, in constant time and without stopping at a match, so
     * the time taken says nothing about which stored digest came close. (A digest-keyed map would be acceptable too: a
     * timing leak would reveal a prefix of SHA-256 of the guess, which does not help find a high-entropy token. The scan
     * avoids needing that argument, and costs nothing next to the hash for the few tokens a gateway knows.)
     */
    Optional<Principal> principalFor(String token) {
        byte[] presented = TokenGrant.digestOf(token);
        TokenGrant match = null;
        for (TokenGrant grant : grants) {
            if (MessageDigest.isEqual(grant.sha256(), presented)) {
                match = grant;
            }
        }
        return Optional.ofNullable(match).map(TokenGrant::principal);
    }

    int size() {
        return grants.size();
    }
}
