package dev.monkeytown.gateway.proxy;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/**
 * What went wrong talking to a service, as the client should hear it: 502 when the service refused or dropped the
 * connection, 504 when it did not answer in time.
 */
record DownstreamFailure(int status, String detail) {

    /** The service sent no response head within the response timeout. */
    static final class NoAnswer extends TimeoutException {
        NoAnswer(long millis) {
            super("no response within " + millis + " ms");
        }
    }

    static DownstreamFailure classify(String service, Throwable failure, long connectTimeoutMs) {
        if (failure instanceof NoAnswer) {
            return new DownstreamFailure(504, service + " did not answer within the gateway's response timeout ("
                    + failure.getMessage().replace("no response within ", "") + ").");
        }
        // netty's ConnectTimeoutException is a ConnectException: ask about the timeout first
        if (failure instanceof TimeoutException || failure instanceof io.netty.channel.ConnectTimeoutException
                || failure instanceof io.netty.handler.timeout.TimeoutException) {
            return new DownstreamFailure(504, service + " could not be reached within " + connectTimeoutMs + " ms.");
        }
        if (failure instanceof ConnectException || failure.getCause() instanceof ConnectException) {
            return new DownstreamFailure(502, service + " is unreachable (connection refused).");
        }
        return new DownstreamFailure(502, service + " closed the connection without a complete answer.");
    }
}
