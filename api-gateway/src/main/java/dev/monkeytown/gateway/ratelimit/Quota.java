package dev.monkeytown.gateway.ratelimit;

import java.time.Duration;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;

/**
 * One rate limit policy: a token bucket holding {@code perMinute} tokens, refilled continuously at {@code perMinute} per
 * minute, so a bucket left alone for a {@link #WINDOW} is full again.
 *
 * @param name the policy name in the {@code RateLimit} headers: {@code global}, {@code ip} or {@code user}
 */
record Quota(String name, int perMinute) {

    static final Duration WINDOW = Duration.ofMinutes(1);

    Quota {
        if (perMinute < 1) {
            throw new IllegalArgumentException("rate limit " + name + " must allow at least 1 request a minute");
        }
    }

    Bucket newBucket(TimeMeter time) {
        Bandwidth bandwidth = Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, WINDOW).build();
        return Bucket.builder().addLimit(bandwidth).withCustomTimePrecision(time).build();
    }

    /** The {@code RateLimit-Policy} item, e.g. {@code "ip";q=100;w=60}. */
    String policyHeaderItem() {
        return "\"" + name + "\";q=" + perMinute + ";w=" + WINDOW.toSeconds();
    }
}
