package dev.monkeytown.github.testdouble;

import java.time.Instant;
import java.util.Map;

/** GitHub's primary hourly budget for one resource ("core", "graphql"), reported on every response. */
final class Quota {

    static final int LIMIT = 5000;

    private final String resource;
    private long resetEpochSecond;
    private int used;

    Quota(String resource) {
        this.resource = resource;
        this.resetEpochSecond = Instant.now().getEpochSecond() + 3600;
    }

    synchronized void spend() {
        rollOver();
        used++;
    }

    synchronized Map<String, String> headers() {
        rollOver();
        return Map.of("x-ratelimit-limit", String.valueOf(LIMIT), "x-ratelimit-remaining",
                String.valueOf(Math.max(0, LIMIT - used)), "x-ratelimit-used", String.valueOf(used),
                "x-ratelimit-reset", String.valueOf(resetEpochSecond), "x-ratelimit-resource", resource);
    }

    synchronized com.fasterxml.jackson.databind.node.ObjectNode asJson() {
        rollOver();
        return Json.object().put("limit", LIMIT).put("used", used).put("remaining", Math.max(0, LIMIT - used))
                .put("reset", resetEpochSecond);
    }

    private void rollOver() {
        long now = Instant.now().getEpochSecond();
        if (now >= resetEpochSecond) {
            used = 0;
            resetEpochSecond = now + 3600;
        }
    }
}
