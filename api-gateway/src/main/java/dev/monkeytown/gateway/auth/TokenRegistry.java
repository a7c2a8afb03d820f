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
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;

import dev.monkeytown.gateway.pipeline.Principal;

/**
 * The accepted tokens: those in config, plus those in the optional tokens file, which is re-read on a timer.
 * <p>
 * At start-up (eagerly: {@link Startup}) anything wrong — a config entry, a line of the file, a file that cannot be
 * read, two tokens with one digest — stops the gateway: a gateway running without the tokens its operator configured
 * would look healthy and refuse or admit the wrong callers. Later, a changed file always takes effect: its good lines
 * are the file's tokens from then on, so a token removed from it is revoked even if the same edit broke another line
 * (that line grants nothing and is reported). A file that can no longer be read grants nothing until it can.
 */
@ApplicationScoped
@Startup
class TokenRegistry {

    @Inject
    AuthConfig config;

    @Inject
    Vertx vertx;

    private volatile TokenTable table = TokenTable.EMPTY;
    private List<TokenGrant> configured;
    private TokensFile file;
    private long timerId = -1;

    @PostConstruct
    void load() {
        configured = configuredGrants();
        file = config.tokensFile().map(Path::of).map(TokensFile::new).orElse(null);
        List<TokenGrant> fromFile = List.of();
        if (file != null) {
            TokensFile.Reading reading;
            try {
                reading = file.readIfChanged().orElseThrow();
            } catch (IOException e) {
                throw new IllegalStateException("monkeytown.gateway.auth.tokens-file " + file.path()
                        + " cannot be read: " + e, e);
            }
            if (!reading.problems().isEmpty()) {
                throw new IllegalStateException("monkeytown.gateway.auth.tokens-file " + file.path() + ": "
                        + String.join("; ", reading.problems()));
            }
            fromFile = reading.grants();
        }
        table = TokenTable.of(all(fromFile), problem -> {
            throw new IllegalStateException("monkeytown.gateway.auth.tokens: " + problem);
        });
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

    /** What the timer does; blocking (a small file read), so never on the event loop. */
    void reloadFile() {
        TokensFile.Reading reading;
        try {
            Optional<TokensFile.Reading> changed = file.readIfChanged();
            if (changed.isEmpty()) {
                return;
            }
            reading = changed.get();
        } catch (IOException e) {
            if (table.size() > configured.size()) {
                Log.errorf("Tokens file %s cannot be read (%s): its tokens are not accepted until it can",
                        file.path(), e.toString());
            }
            file.forget(); // whatever it holds when it is back counts as a change
            table = TokenTable.of(configured, problem -> Log.errorf("monkeytown.gateway.auth.tokens: %s", problem));
            return;
        }
        reading.problems().forEach(problem -> Log.warnf("Tokens file %s, %s: that line grants nothing",
                file.path(), problem));
        table = TokenTable.of(all(reading.grants()), problem -> Log.warnf("Tokens file %s: %s", file.path(),
                problem));
        Log.infof("Tokens file %s changed: gateway now accepts %d bearer tokens", file.path(), table.size());
    }

    private List<TokenGrant> all(List<TokenGrant> fromFile) {
        List<TokenGrant> grants = new ArrayList<>(configured);
        grants.addAll(fromFile);
        return grants;
    }

    private List<TokenGrant> configuredGrants() {
        List<TokenGrant> grants = new ArrayList<>();
        config.tokens().forEach((user, entry) -> {
            try {
                grants.add(TokenGrant.parse(user, entry.role(), entry.sha256(),
                        entry.repositories().orElse(List.of())));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("monkeytown.gateway.auth.tokens: " + e.getMessage(), e);
            }
        });
        return List.copyOf(grants);
    }
}
