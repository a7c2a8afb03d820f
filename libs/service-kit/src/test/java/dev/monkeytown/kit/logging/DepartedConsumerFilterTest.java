package dev.monkeytown.kit.logging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

class DepartedConsumerFilterTest {

    private final DepartedConsumerFilter filter = new DepartedConsumerFilter();

    @Test
    void aStreamWriteThatFoundTheConsumerGoneIsDropped() {
        assertFalse(filter.isLoggable(sseError(new IOException("Broken pipe"))));
        assertFalse(filter.isLoggable(sseError(new IOException("Connection reset by peer"))));
        assertFalse(filter.isLoggable(sseError(new ClosedChannelException())));
    }

    @Test
    void everythingElsePasses() {
        assertTrue(filter.isLoggable(sseError(new IllegalStateException("a bug in the stream"))));
        assertTrue(filter.isLoggable(sseError(new IOException("No space left on device"))));
        assertTrue(filter.isLoggable(sseError(null)));
        LogRecord elsewhere = new LogRecord(Level.SEVERE, "write failed");
        elsewhere.setLoggerName("dev.monkeytown.state.Store");
        elsewhere.setThrown(new IOException("Broken pipe"));
        assertTrue(filter.isLoggable(elsewhere), "only the SSE handler's records are judged");
    }

    private static LogRecord sseError(Throwable thrown) {
        LogRecord record = new LogRecord(Level.SEVERE, "Exception in SSE server handling, impossible to send it to client");
        record.setLoggerName(DepartedConsumerFilter.SSE_HANDLER);
        record.setThrown(thrown);
        return record;
    }
}
