package dev.monkeytown.kit.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

import dev.monkeytown.kit.config.InternalConfig;

/**
 * The internal token this service sends and the ones it accepts. The setting is a comma-separated list: the first value
 * is sent, every value is accepted, so the token rotates without a failed call ("old,new" everywhere, then "new,old",
 * then "new"; docs/kubernetes.md). Holds only SHA-256 digests for checks, so a heap dump of a request path shows no
 * secret, and compares digests in constant time.
 */
@ApplicationScoped
public class InternalToken {

    public static final String HEADER = "X-Monkeytown-Internal-Token";
    static final int MIN_PROD_LENGTH = 24;

    private final List<String> accepted;
    private final List<byte[]> digests;

    InternalToken(InternalConfig config) {
        this.accepted = config.token()
                .map(list -> Arrays.stream(list.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList())
                .orElse(List.of());
        this.digests = accepted.stream().map(InternalToken::sha256).toList();
    }

    void refuseToStartUnconfigured(@Observes StartupEvent event) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        if (accepted.isEmpty()) {
            throw new IllegalStateException(
                    "MONKEYTOWN_INTERNAL_TOKEN is not set: the prod profile refuses to run with open internal endpoints");
        }
        if (accepted.stream().anyMatch(value -> value.length() < MIN_PROD_LENGTH)) {
            throw new IllegalStateException("a value of MONKEYTOWN_INTERNAL_TOKEN is shorter than " + MIN_PROD_LENGTH
                    + " characters; use random secrets");
        }
    }

    /** True only when {@code presented} equals one of the configured values (each compared, in constant time). */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        byte[] candidate = sha256(presented);
        boolean found = false;
        for (byte[] digest : digests) {
            found |= MessageDigest.isEqual(digest, candidate);
        }
        return found;
    }

    /** The value to send on outgoing internal calls: the first configured. */
    public Optional<String> value() {
        return accepted.stream().findFirst();
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-256", e);
        }
    }
}
