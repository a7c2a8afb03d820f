package dev.monkeytown.dispatcher.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a runner started after a crash does with the agent processes its predecessor could not stop. */
class ProcessMarksTest {

    private static final String RUN = "01JAAAAAAAAAAAAAAAAAAAAAAA";

    @TempDir
    Path logs;

    private Process stray;

    @AfterEach
    void killStray() {
        if (stray != null) {
            stray.destroyForcibly();
        }
    }

    @Test
    void aMarkedProcessLeftRunningIsStoppedByTheNextRunner() throws Exception {
        stray = new ProcessBuilder("sleep", "60").start();
        new ProcessMarks(logs).mark(RUN, stray.toHandle());

        try (LocalRunner next = new LocalRunner(LocalRunner.Settings.defaults(logs.resolve("work"), logs))) {
            assertTrue(stray.waitFor(5, TimeUnit.SECONDS), "the leftover agent was stopped");
        }
        assertFalse(Files.exists(logs.resolve(RUN + ".pid")));
    }

    @Test
    void aPidThatNowBelongsToAnotherProcessIsNotKilled() throws Exception {
        stray = new ProcessBuilder("sleep", "60").start();
        Files.writeString(logs.resolve(RUN + ".pid"), stray.pid() + " 2001-01-01T00:00:00Z\n");

        List<String> stopped = new ProcessMarks(logs).stopLeftovers(Duration.ofMillis(200));

        assertEquals(List.of(), stopped);
        assertTrue(stray.isAlive(), "a recycled pid must never be killed");
        assertFalse(Files.exists(logs.resolve(RUN + ".pid")), "the stale mark is dropped");
    }
}
