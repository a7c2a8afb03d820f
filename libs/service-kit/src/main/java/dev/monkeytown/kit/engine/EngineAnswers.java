package dev.monkeytown.kit.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.ws.rs.ServiceUnavailableException;

/**
 * Waits (on a worker thread) for a service's single-writer engine (builds, deployments) to answer a request, which it
 * does only once the change is recorded; the engine's refusal comes back as itself, so its mapper answers. An engine
 * that is not running ({@link IllegalStateException}) or too slow to record is a 503 with {@code Retry-After}.
 */
public final class EngineAnswers {

    /** Longer than a commit ever takes on a working store; beyond it nothing is promised. */
    private static final long WAIT_SECONDS = 30;

    private EngineAnswers() {
    }

    public static <T> T await(CompletableFuture<T> answer) {
        try {
            return answer.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                if (cause instanceof IllegalStateException) {
                    throw new ServiceUnavailableException(cause.getMessage(), 5L);
                }
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new ServiceUnavailableException("the request was not recorded within "
                    + WAIT_SECONDS + "s; look it up before asking again", 5L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException("interrupted", 5L);
        }
    }
}
