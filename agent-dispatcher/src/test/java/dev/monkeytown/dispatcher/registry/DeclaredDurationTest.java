package dev.monkeytown.dispatcher.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeclaredDurationTest {

    @ParameterizedTest
    @CsvSource({
            "30s, PT30S",
            "10m, PT10M",
            "1h, PT1H",
            "1h30m, PT1H30M",
            "2m15s, PT2M15S",
            "' 5m ', PT5M",
            "PT10M, PT10M",
            "pt1h, PT1H",
            "PT1H30M, PT1H30M"
    })
    void parsesShortAndIsoForms(String text, String expected) {
        assertEquals(Duration.parse(expected), DeclaredDuration.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "10 m", "10min", "1d", "-5m", "m", "PT", "P1X", "ten minutes", "10M"})
    void rejectsAnythingElseNamingTheAcceptedForms(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeclaredDuration.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("10m"), e.getMessage());
    }
}
