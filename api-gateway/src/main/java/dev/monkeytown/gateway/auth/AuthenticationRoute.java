package dev.monkeytown.gateway.auth;

import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.classify.Classification;
import dev.monkeytown.gateway.pipeline.GatewayOrder;
import dev.monkeytown.gateway.pipeline.Principal;

/**
 * Turns {@code Authorization: Bearer <token>} into the caller's {@link Principal}; no header means anonymous. On the
 * registry's {@code /v2} also {@code Basic base64(<any user>:<token>)}: docker, skopeo, oras, crane and Jib send their
 * credentials that way, after the Basic challenge. Both are checked alike, by the token's digest. A wrong token is not
 * refused here but marked, and {@link AuthorizationRoute} answers 401 after the rate limiter has counted the attempt
 * against the client's IP — otherwise guessing tokens would be the one thing nobody limits.
 */
@ApplicationScoped
class AuthenticationRoute {

    private static final String INVALID_TOKEN_KEY = "monkeytown.auth.invalid-token";
    private static final String SCHEME = "bearer ";
    /** RFC 6750 2.1 b64token. */
    private static final Pattern TOKEN_SHAPE = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    @Inject
    TokenRegistry tokens;

    void install(@Observes Router router) {
        router.route().order(GatewayOrder.AUTHENTICATION).handler(this::authenticate);
    }

    private void authenticate(RoutingContext ctx) {
        // the API only: GitHub proves a delivery by its signature (the webhook route checks it), /ws has its own forms
        // (WebSocketAuthenticationRoute), and /health and the API document are the same for everybody
        Classification request = Classification.of(ctx);
        if (!request.isApi()) {
            ctx.next();
            return;
        }
        // header only: a token in the query string (RFC 6750 2.3) ends up in access logs, browser history and
        // Referer headers. Only /ws takes one there, as a browser cannot set headers on a WebSocket
        // the header is never logged: it is the credential itself
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            Optional<String> token = request.isRegistry()
                    ? tokenOf(authorization).or(() -> BasicCredentials.passwordOf(authorization))
                    : tokenOf(authorization);
            Optional<Principal> principal = token.flatMap(tokens::principalFor);
            if (principal.isPresent()) {
                principal.get().attachTo(ctx);
            } else {
                markInvalidToken(ctx);
            }
        }
        ctx.next();
    }

    /** The token of a well-formed bearer header (RFC 6750 2.1; the scheme is case-insensitive). */
    static Optional<String> tokenOf(String authorization) {
        if (authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        return wellFormed(authorization.substring(SCHEME.length()).trim());
    }

    /** The token if it has the b64token shape of RFC 6750 2.1, whichever way it was presented. */
    static Optional<String> wellFormed(String token) {
        return TOKEN_SHAPE.matcher(token).matches() ? Optional.of(token) : Optional.empty();
    }

    /** A wrong token: refused after the rate limiter has counted it (see the class comment). */
    static void markInvalidToken(RoutingContext ctx) {
        ctx.put(INVALID_TOKEN_KEY, Boolean.TRUE);
    }

    static boolean presentedInvalidToken(RoutingContext ctx) {
        return Boolean.TRUE.equals(ctx.get(INVALID_TOKEN_KEY));
    }
}
