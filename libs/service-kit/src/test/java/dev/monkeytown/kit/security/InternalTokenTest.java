package dev.monkeytown.kit.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.monkeytown.kit.config.InternalConfig;

class InternalTokenTest {

    @Test
    void matchesOnlyTheExactToken() {
        InternalToken token = new InternalToken(config("s3cret-s3cret-s3cret-s3cret"));
        assertTrue(token.matches("s3cret-s3cret-s3cret-s3cret"));
        assertFalse(token.matches("s3cret-s3cret-s3cret-s3cre"));
        assertFalse(token.matches("S3cret-s3cret-s3cret-s3cret"));
        assertFalse(token.matches(""));
        assertFalse(token.matches(null));
    }

    @Test
    void withoutATokenNothingMatches() {
        InternalToken token = new InternalToken(config(null));
        assertFalse(token.matches(""));
        assertFalse(token.matches("anything"));
        InternalToken blank = new InternalToken(config("   "));
        assertFalse(blank.matches("   "));
    }

    @Test
    void duringARotationEveryListedValueIsAcceptedAndTheFirstIsSent() {
        InternalToken token = new InternalToken(config("old-old-old-old-old-old-old, new-new-new-new-new-new-new"));
        assertTrue(token.matches("old-old-old-old-old-old-old"));
        assertTrue(token.matches("new-new-new-new-new-new-new"));
        assertFalse(token.matches("old-old-old-old-old-old-old, new-new-new-new-new-new-new"));
        assertFalse(token.matches(""));
        assertEquals(Optional.of("old-old-old-old-old-old-old"), token.value());
    }

    private static InternalConfig config(String value) {
        return () -> Optional.ofNullable(value);
    }
}
