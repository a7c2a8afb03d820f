package dev.monkeytown.gateway.auth;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Who may call the public API. Tokens are configured as SHA-256 digests only, so neither config nor a Secret ever holds
 * a usable token.
 */
@ConfigMapping(prefix = "monkeytown.gateway.auth")
public interface AuthConfig {

    /**
     * Tokens by user name: {@code monkeytown.gateway.auth.tokens.<user>.sha256=<64 hex>} and {@code .role}. Empty by
     * default: then every caller is anonymous.
     */
    Map<String, TokenEntry> tokens();

    /**
     * A file of further tokens, one {@code <user> <role> sha256:<hex>} a line, {@code #} comments; typically a mounted
     * Kubernetes Secret. Re-read when it changes, so a token can be added or revoked without a restart.
     */
    Optional<String> tokensFile();

    /** How often the tokens file's modification time is checked. */
    @WithDefault("5s")
    Duration tokensFileCheckInterval();

    /** Whether reads other than artifact downloads need no token; false makes every read need {@code viewer}. */
    @WithDefault("true")
    boolean anonymousReads();

    interface TokenEntry {

        /** Lower- or upper-case hex SHA-256 of the token's UTF-8 bytes, optionally prefixed {@code sha256:}. */
        String sha256();

        /** {@code viewer}, {@code operator} or {@code admin}. */
        String role();

        /**
         * Repository globs the token is limited to on the registry ({@code builds/**,tools/cli}), forwarded to
         * artifact-service as {@code X-Monkeytown-Scope}. Absent: every repository.
         */
        Optional<List<String>> repositories();
    }
}
