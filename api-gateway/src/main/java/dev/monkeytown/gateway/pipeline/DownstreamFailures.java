package dev.monkeytown.gateway.pipeline;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Says in a few words why a call to a service behind the gateway failed, the same way wherever it is reported. */
public final class DownstreamFailures {

    private DownstreamFailures() {
    }

    /** "connection refused", "no answer within 2000 ms", or the failure's type and message. */
    public static String describe(Throwable failure, Duration timeout) {
        if (failure instanceof TimeoutException || failure instanceof io.netty.handler.timeout.TimeoutException
                || (failure.getMessage() != null && failure.getMessage().contains("timeout"))) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        if (failure instanceof ConnectException || failure.getCause() instanceof ConnectException) {
            return "connection refused";
        }
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }
}
