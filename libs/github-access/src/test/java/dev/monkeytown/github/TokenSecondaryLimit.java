package dev.monkeytown.github;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.monkeytown.github.ScriptedGitHub.Answer;
import dev.monkeytown.github.ScriptedGitHub.Arrival;

/**
 * GitHub's secondary limit on content-creating requests as GitHub keeps it: per token, whichever process sends, at
 * most {@code perMinute} in any minute; the rest are refused with 403 and {@code Retry-After}. A script for
 * {@link ScriptedGitHub}; reads pass.
 */
final class TokenSecondaryLimit implements ScriptedGitHub.Script {

    private final int perMinute;
    private final Map<String, Deque<Long>> acceptedByToken = new HashMap<>();
    private int accepted;
    private int refused;

    TokenSecondaryLimit(int perMinute) {
        this.perMinute = perMinute;
    }

    @Override
    public synchronized Answer answer(Arrival arrival) {
        if (arrival.method().equals("GET")) {
            return Answer.ok("{}");
        }
        String token = arrival.header("Authorization").orElse("anonymous");
        Deque<Long> sent = acceptedByToken.computeIfAbsent(token, t -> new ArrayDeque<>());
        long minuteAgo = arrival.nanos() - TimeUnit.MINUTES.toNanos(1);
        while (!sent.isEmpty() && sent.peekFirst() - minuteAgo <= 0) {
            sent.removeFirst();
        }
        if (sent.size() >= perMinute) {
            refused++;
            return new Answer(403, Map.of("Retry-After", "60", "x-ratelimit-resource", "core"),
                    "{\"message\":\"You have exceeded a secondary rate limit. Please wait a few minutes before you "
                            + "try again.\"}");
        }
        sent.addLast(arrival.nanos());
        accepted++;
        return new Answer(201, Map.of(), "{\"sha\":\"" + "0".repeat(40) + "\"}");
    }

    synchronized int accepted() {
        return accepted;
    }

    synchronized int refused() {
        return refused;
    }
}
