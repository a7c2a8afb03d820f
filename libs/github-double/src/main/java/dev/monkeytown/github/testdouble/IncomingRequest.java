package dev.monkeytown.github.testdouble;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A request as it came off the wire, before the double has read anything into it. {@code clientGone} completes when
 * the client closes the connection (e.g. gives up waiting), so a held request need not be held any longer.
 */
record IncomingRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body,
        CompletableFuture<Void> clientGone) {
}
