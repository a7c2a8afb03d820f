package dev.monkeytown.gateway.auth;

import java.util.Map;

import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.pipeline.GatewayProblems;

/** The 401 answers (RFC 6750): they tell the client to come back with a bearer token. */
final class BearerChallenge {

    static final String REALM = "Bearer realm=\"monkeytown\"";

    private BearerChallenge() {
    }

    static void tokenRequired(RoutingContext ctx, String detail) {
        GatewayProblems.send(ctx, 401, detail, Map.of("WWW-Authenticate", REALM));
    }

    static void invalidToken(RoutingContext ctx) {
        GatewayProblems.send(ctx, 401,
                "The bearer token is malformed or not known to this gateway; send 'Authorization: Bearer <token>' "
                        + "with a valid token, or no Authorization header for anonymous reads.",
                Map.of("WWW-Authenticate", REALM + ", error=\"invalid_token\""));
    }
}
