package dev.monkeytown.github;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/** Identical reads in flight at the same time share one upstream request; the followers get the leader's answer. */
final class SingleFlight {

    @FunctionalInterface
    interface Call {
        ApiResponse run() throws Exception;
    }

    private final Map<String, CompletableFuture<ApiResponse>> inFlight = new ConcurrentHashMap<>();

    /** {@code onShared} runs for each follower that did not send its own request. */
    ApiResponse run(String key, Call call, Runnable onShared) throws Exception {
        CompletableFuture<ApiResponse> mine = new CompletableFuture<>();
        CompletableFuture<ApiResponse> leader = inFlight.putIfAbsent(key, mine);
        if (leader != null) {
            onShared.run();
            try {
                return leader.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
        try {
            ApiResponse response = call.run();
            mine.complete(response);
            return response;
        } catch (Exception | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }
}
