package dev.monkeytown.websocket.connection;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

import dev.monkeytown.kit.security.InternalToken;
import dev.monkeytown.websocket.WsConfig;

/**
 * With anonymous viewing off, only users the gateway authenticated may connect: the gateway forwards the upgrade with
 * the internal token and {@code X-Monkeytown-User} (and drops those headers when a client sends them). The internal
 * token proves the user header came from the gateway, not from someone inside the network.
 */
@ApplicationScoped
public class GatewayUserCheck implements HttpUpgradeCheck {

    static final String USER_HEADER = "X-Monkeytown-User";
    /** The gateway's name for a caller without a token; such a caller is not a user. */
    static final String ANONYMOUS = "anonymous";

    private final WsConfig config;
    private final InternalToken internalToken;

    GatewayUserCheck(WsConfig config, InternalToken internalToken) {
        this.config = config;
        this.internalToken = internalToken;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        if (config.anonymous()) {
            return CheckResult.permitUpgrade();
        }
        HttpServerRequest request = context.httpRequest();
        String user = request.getHeader(USER_HEADER);
        if (user == null || user.isBlank() || user.equals(ANONYMOUS)
                || !internalToken.matches(request.getHeader(InternalToken.HEADER))) {
            return CheckResult.rejectUpgrade(401);
        }
        return CheckResult.permitUpgrade();
    }
}
