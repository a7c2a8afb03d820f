package dev.monkeytown.dispatcher.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.monkeytown.dispatcher.queue.RunIds;

class RunLogsTest {

    @TempDir
    Path temp;

    private final String runId = new RunIds().next();

    @Test
    void aLongLogIsReadFromItsEnd() throws Exception {
        RunLogs logs = new RunLogs(temp);
        Files.writeString(logs.create(runId), "a".repeat(100) + "tail");

        LogExcerpt tail = logs.tail(runId, 4).orElseThrow();

        assertEquals("tail", tail.text());
        assertEquals(100, tail.fromByte());
        assertEquals(104, tail.totalBytes());
        assertTrue(tail.truncatedAtStart());
    }

    @Test
    void aShortLogIsReadWhole() throws Exception {
        RunLogs logs = new RunLogs(temp);
        Files.writeString(logs.create(runId), "short");

        LogExcerpt tail = logs.tail(runId, 1024).orElseThrow();

        assertEquals("short", tail.text());
        assertFalse(tail.truncatedAtStart());
    }

    @Test
    void readingPastTheEndGivesNothingButTheSize() throws Exception {
        RunLogs logs = new RunLogs(temp);
        Files.writeString(logs.create(runId), "12345");

        LogExcerpt after = logs.range(runId, 99, 10).orElseThrow();

        assertEquals("", after.text());
        assertEquals(5, after.fromByte());
        assertEquals(5, after.totalBytes());
    }

    @Test
    void recreatingALogDropsAnEarlierAttempt() throws Exception {
        RunLogs logs = new RunLogs(temp);
        Files.writeString(logs.create(runId), "old");

        logs.create(runId);

        assertEquals("", logs.tail(runId, 10).orElseThrow().text());
    }
}
