package dev.monkeytown.gateway.auth;

import java.util.Map;

import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.pipeline.ErrorDialect;
import dev.monkeytown.gateway.pipeline.GatewayProblems;

/**
 * The 401 answers (RFC 6750): they tell the client to come back with a bearer token — or, on the registry's
 * {@code /v2}, with Basic credentials, the challenge registry clients answer (the request's {@link ErrorDialect}).
 */
final class BearerChallenge {

    static final String REALM = "Bearer realm=\"monkeytown\"";

    private BearerChallenge() {
    }

    static void tokenRequired(RoutingContext ctx, String detail) {
        GatewayProblems.send(ctx, 401, detail, Map.of("WWW-Authenticate", ErrorDialect.of(ctx).challenge(false)));
    }

    static void invalidToken(RoutingContext ctx) {
        GatewayProblems.send(ctx, 401,
                "The bearer token is malformed or not known to this gateway; send 'Authorization: Bearer <token>' "
                        + "with a valid token, or no Authorization header for anonymous reads.",
                Map.of("WWW-Authenticate", ErrorDialect.of(ctx).challenge(true)));
    }

    static void invalidWebSocketToken(RoutingContext ctx) {
        GatewayProblems.send(ctx, 401,
                "The bearer token is malformed or not known to this gateway; open /ws with a valid token (in the "
                        + "Authorization header, the access_token query parameter or a '" + BearerSubprotocol.PREFIX
                        + "<base64url token>' subprotocol), or with none to connect anonymously.",
                Map.of("WWW-Authenticate", REALM + ", error=\"invalid_token\""));
    }

    /** RFC 6750 2: a client MUST NOT use more than one method to transmit the token in a request. */
    static void severalCredentials(RoutingContext ctx, int count) {
        GatewayProblems.send(ctx, 400, "The request carries " + count + " bearer credentials; send exactly one: the "
                + "Authorization header, the access_token query parameter or one '" + BearerSubprotocol.PREFIX
                + "<base64url token>' subprotocol.", Map.of("WWW-Authenticate", REALM + ", error=\"invalid_request\""));
    }
}
