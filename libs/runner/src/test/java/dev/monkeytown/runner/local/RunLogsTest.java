package dev.monkeytown.runner.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.monkeytown.runner.SecretValues;
import dev.monkeytown.runner.TestRunIds;

class RunLogsTest {

    @TempDir
    Path temp;

    private final String runId = TestRunIds.next();

    @Test
    void aLongLogIsReadFromItsEnd() throws Exception {
        RunLogs logs = new RunLogs(temp, LocalRunner.Settings.DEFAULT_LOG_LIMIT);
        write(logs, "a".repeat(100) + "tail");

        var tail = logs.tail(runId, 4).orElseThrow();

        assertEquals("tail", tail.text());
        assertEquals(100, tail.fromByte());
        assertEquals(104, tail.totalBytes());
        assertTrue(tail.truncatedAtStart());
    }

    @Test
    void readingPastTheEndGivesNothingButTheSize() throws Exception {
        RunLogs logs = new RunLogs(temp, LocalRunner.Settings.DEFAULT_LOG_LIMIT);
        write(logs, "12345");

        var after = logs.range(runId, 99, 10).orElseThrow();

        assertEquals("", after.text());
        assertEquals(5, after.fromByte());
        assertEquals(5, after.totalBytes());
    }

    @Test
    void recreatingALogDropsAnEarlierAttempt() throws Exception {
        RunLogs logs = new RunLogs(temp, LocalRunner.Settings.DEFAULT_LOG_LIMIT);
        write(logs, "old");

        logs.create(runId, SecretValues.NONE).close();

        assertEquals("", logs.tail(runId, 10).orElseThrow().text());
    }

    @Test
    void notesAreMaskedToo() throws Exception {
        RunLogs logs = new RunLogs(temp, LocalRunner.Settings.DEFAULT_LOG_LIMIT);
        try (RunLog log = logs.create(runId, SecretValues.of(List.of("hunter2-secret")))) {
            log.note("could not push to https://x:hunter2-secret@example.com");
        }

        String text = logs.tail(runId, 1000).orElseThrow().text();
        assertFalse(text.contains("hunter2-secret"), text);
        assertTrue(text.contains("https://x:***@example.com"), text);
    }

    /** The cut falls inside a secret: neither half of it may reach the disk in the clear. */
    @Test
    void aSecretCutByTheLimitIsNotWrittenInPart() throws Exception {
        RunLogs logs = new RunLogs(temp, 100);
        try (RunLog log = logs.create(runId, SecretValues.of(List.of("supersecret-value")))) {
            log.copy(new ByteArrayInputStream(("a".repeat(95) + "supersecret-value" + "b".repeat(50))
                    .getBytes(StandardCharsets.UTF_8)));
        }

        String text = logs.range(runId, 0, 10_000).orElseThrow().text();
        assertFalse(text.contains("super"), text);
        assertTrue(text.startsWith("a".repeat(95) + "***bb\n"), text);
        assertTrue(text.contains("the log stops here") && text.contains("bytes of output were dropped"), text);
    }

    /** A remark of the runner between two halves of a secret neither completes nor reveals it. */
    @Test
    void aNoteBetweenTwoHalvesOfASecretDoesNotRevealEither() throws Exception {
        RunLogs logs = new RunLogs(temp, LocalRunner.Settings.DEFAULT_LOG_LIMIT);
        try (RunLog log = logs.create(runId, SecretValues.of(List.of("supersecret-value")))) {
            log.copy(new ByteArrayInputStream("before supersec".getBytes(StandardCharsets.UTF_8)));
            log.note("still running");
            log.copy(new ByteArrayInputStream("ret-value after".getBytes(StandardCharsets.UTF_8)));
        }

        String text = logs.range(runId, 0, 10_000).orElseThrow().text();
        assertFalse(text.contains("supersec"), text);
        assertTrue(text.contains("before ") && text.contains("*** after") && text.contains("still running"), text);
    }

    @Test
    void idsThatCouldEscapeTheDirectoryFindNothing() {
        RunLogs logs = new RunLogs(temp, LocalRunner.Settings.DEFAULT_LOG_LIMIT);
        assertTrue(logs.tail("../../etc/passwd", 10).isEmpty());
        assertFalse(logs.exists("../x"));
        assertThrows(IllegalArgumentException.class, () -> logs.fileOf("../x"));
    }

    private void write(RunLogs logs, String content) throws Exception {
        try (RunLog log = logs.create(runId, SecretValues.NONE)) {
            log.copy(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
