package dev.monkeytown.gateway.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
import io.vertx.core.Vertx;

import dev.monkeytown.gateway.pipeline.Principal;

/**
 * The accepted tokens: those in config, plus those in the optional tokens file, which is re-checked on a timer. A
 * broken config or file at startup stops the gateway; a file broken later is reported and the previous tokens stay.
 */
@ApplicationScoped
class TokenRegistry {

    @Inject
    AuthConfig config;

    @Inject
    Vertx vertx;

    private volatile TokenTable table = TokenTable.EMPTY;
    private TokensFile file;
    private long timerId = -1;

    @PostConstruct
    void load() {
        file = config.tokensFile().map(Path::of).map(TokensFile::new).orElse(null);
        if (file != null) {
            try {
                file.reloadIfChanged();
            } catch (IOException e) {
                throw new IllegalStateException("monkeytown.gateway.auth.tokens-file " + file.path()
                        + " cannot be read: " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        "monkeytown.gateway.auth.tokens-file " + file.path() + ": " + e.getMessage(), e);
            }
        }
        table = combine();
        Log.infof("Gateway accepts %d bearer tokens%s", table.size(),
                file == null ? "" : " (config and " + file.path() + ")");
        if (file != null) {
            timerId = vertx.setPeriodic(config.tokensFileCheckInterval().toMillis(),
                    id -> vertx.executeBlocking(() -> {
                        reloadFile();
                        return null;
                    }));
        }
    }

    @PreDestroy
    void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    Optional<Principal> principalFor(String token) {
        return table.principalFor(token);
    }

    /** What the timer does; blocking (a stat, sometimes a read), so never on the event loop. */
    void reloadFile() {
        try {
            if (file.reloadIfChanged()) {
                table = combine();
                Log.infof("Tokens file %s changed: gateway now accepts %d bearer tokens", file.path(), table.size());
            }
        } catch (IOException | IllegalArgumentException e) {
            Log.warnf("Tokens file %s not reloaded, the previous tokens stay in force: %s", file.path(),
                    e.getMessage());
        }
    }

    private TokenTable combine() {
        List<TokenGrant> grants = new ArrayList<>();
        config.tokens().forEach((user, entry) -> {
            try {
                grants.add(TokenGrant.parse(user, entry.role(), entry.sha256()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("monkeytown.gateway.auth.tokens: " + e.getMessage(), e);
            }
        });
        if (file != null) {
            grants.addAll(file.grants());
        }
        return TokenTable.of(grants);
    }
}
