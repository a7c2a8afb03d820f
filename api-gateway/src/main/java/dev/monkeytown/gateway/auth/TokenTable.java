package dev.monkeytown.gateway.auth;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import dev.monkeytown.gateway.pipeline.Principal;

/** The tokens the gateway accepts right now; immutable, swapped whole when the tokens file changes. */
final class TokenTable {

    static final TokenTable EMPTY = new TokenTable(List.of());

    private final List<TokenGrant> grants;

    private TokenTable(List<TokenGrant> grants) {
        this.grants = grants;
    }

    /**
     * The table of {@code grants}, without any whose digest appears twice: one token cannot be two callers, and which of
     * the two was meant is unknowable, so neither is granted. Each such clash is reported to {@code problems}.
     */
    static TokenTable of(List<TokenGrant> grants, Consumer<String> problems) {
        List<TokenGrant> kept = new ArrayList<>();
        for (TokenGrant grant : grants) {
            List<TokenGrant> same = grants.stream().filter(other -> other != grant
                    && MessageDigest.isEqual(other.sha256(), grant.sha256())).toList();
            if (same.isEmpty()) {
                kept.add(grant);
            } else if (grants.indexOf(grant) < grants.indexOf(same.get(0))) {
                problems.accept("tokens of " + grant.user() + " and " + same.get(0).user()
                        + " have the same digest: one token cannot be two callers, neither is accepted");
            }
        }
        return new TokenTable(List.copyOf(kept));
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
