package dev.monkeytown.kit.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

import dev.monkeytown.kit.config.InternalConfig;

/**
 * The internal token this service accepts and sends. Holds only its SHA-256 digest for checks, so a heap dump of a
 * request path shows no secret, and compares digests in constant time.
 */
@ApplicationScoped
public class InternalToken {

    public static final String HEADER = "X-Monkeytown-Internal-Token";
    static final int MIN_PROD_LENGTH = 24;

    private final Optional<String> token;
    private final byte[] digest;

    InternalToken(InternalConfig config) {
        this.token = config.token().filter(t -> !t.isBlank());
        this.digest = token.map(InternalToken::sha256).orElse(null);
    }

    void refuseToStartUnconfigured(@Observes StartupEvent event) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        if (token.isEmpty()) {
            throw new IllegalStateException(
                    "MONKEYTOWN_INTERNAL_TOKEN is not set: the prod profile refuses to run with open internal endpoints");
        }
        if (token.get().length() < MIN_PROD_LENGTH) {
            throw new IllegalStateException(
                    "MONKEYTOWN_INTERNAL_TOKEN is shorter than " + MIN_PROD_LENGTH + " characters; use a random secret");
        }
    }

    /** True only when a token is configured and {@code presented} equals it. */
    public boolean matches(String presented) {
        if (digest == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    /** The value to send on outgoing internal calls. */
    public Optional<String> value() {
        return token;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-256", e);
        }
    }
}
