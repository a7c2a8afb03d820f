package dev.monkeytown.dispatcher.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class TriggerTest {

    @Test
    void onlyManualIsNotAutomatic() {
        assertFalse(new Trigger.Manual("alice").isAutomatic());
        assertTrue(new Trigger.Scheduled(Instant.EPOCH).isAutomatic());
        assertTrue(new Trigger.OnChange("abc", List.of()).isAutomatic());
    }

    @Test
    void changedPathsAreSortedAndDistinct() {
        assertEquals(List.of("a", "b"), new Trigger.OnChange("abc", List.of("b", "a", "b")).changedPaths());
    }

    @Test
    void mergeTakesNewerShaAndUnionOfPaths() {
        Trigger.OnChange merged = new Trigger.OnChange("old", List.of("docs/x", "src/a"))
                .mergedWith(new Trigger.OnChange("new", List.of("src/a", "src/b")));
        assertEquals("new", merged.commitSha());
        assertEquals(List.of("docs/x", "src/a", "src/b"), merged.changedPaths());
    }

    @Test
    void rejectsBlankDetails() {
        assertThrows(IllegalArgumentException.class, () -> new Trigger.Manual(" "));
        assertThrows(IllegalArgumentException.class, () -> new Trigger.OnChange("", List.of()));
        assertThrows(NullPointerException.class, () -> new Trigger.Scheduled(null));
    }
}
