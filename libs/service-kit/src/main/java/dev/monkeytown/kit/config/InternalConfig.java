package dev.monkeytown.kit.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Settings for calls between Monkeytown services. */
@ConfigMapping(prefix = "monkeytown.internal")
public interface InternalConfig {

    /**
     * The shared secret every internal call carries in {@code X-Monkeytown-Internal-Token}. Set it with the environment
     * variable {@code MONKEYTOWN_INTERNAL_TOKEN}. Required (at least 24 characters) in the prod profile; dev and test
     * profiles use a fixed throwaway value. A comma-separated list during a rotation: the first value is sent, every
     * value is accepted.
     */
    Optional<String> token();
}
