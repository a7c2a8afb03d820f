package dev.monkeytown.kit.logging;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Keeps a consumer that went away from reading as a server fault. When a write on a server-sent event stream finds the
 * connection gone (the consumer restarted, or its pod vanished and a heartbeat found out), RESTEasy logs an ERROR with
 * a full stack trace. For a stream that is the normal way to end: the consumer resumes by offset when it comes back,
 * and logs that itself. Every other record of that logger, and every other logger, passes.
 */
@LoggingFilter(name = DepartedConsumerFilter.NAME)
public final class DepartedConsumerFilter implements Filter {

    public static final String NAME = "monkeytown-departed-consumers";
    static final String SSE_HANDLER = "org.jboss.resteasy.reactive.server.handlers.PublisherResponseHandler";
    private static final List<String> GONE = List.of("Broken pipe", "Connection reset");

    @Override
    public boolean isLoggable(LogRecord record) {
        return !SSE_HANDLER.equals(record.getLoggerName()) || !consumerGone(record.getThrown());
    }

    private static boolean consumerGone(Throwable thrown) {
        if (thrown instanceof ClosedChannelException) {
            return true;
        }
        if (!(thrown instanceof IOException) || thrown.getMessage() == null) {
            return false;
        }
        return GONE.stream().anyMatch(thrown.getMessage()::contains);
    }
}
