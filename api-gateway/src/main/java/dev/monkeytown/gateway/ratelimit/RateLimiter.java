package dev.monkeytown.gateway.ratelimit;

import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * The gateway's token buckets: one global, and one per anonymous client address or per user. A request takes a token
 * from its own bucket and from the global one, or from neither: a refused request costs nothing.
 *
 * <p>
 * Memory is bounded: client buckets live in a cache of at most {@code maxTrackedClients} entries, and a bucket nobody
 * touched for a {@link Quota#WINDOW} expires — it is full by then, so forgetting it loses nothing. When a flood of new
 * addresses fills the cache, its frequency-aware eviction drops one-off addresses before busy ones; an address that
 * does get evicted merely starts over with a full bucket, and the global bucket still caps the instance.
 */
final class RateLimiter {

    private final Quota global;
    private final Quota perIp;
    private final Quota perUser;
    private final TimeMeter time;
    private final Bucket globalBucket;
    private final Cache<String, Bucket> clientBuckets;

    RateLimiter(Quota global, Quota perIp, Quota perUser, int maxTrackedClients, RateLimitClock clock) {
        this.global = global;
        this.perIp = perIp;
        this.perUser = perUser;
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return clock.nanoTime();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        this.globalBucket = global.newBucket(time);
        this.clientBuckets = Caffeine.newBuilder()
                .maximumSize(maxTrackedClients)
                .expireAfterAccess(Quota.WINDOW)
                .ticker(clock::nanoTime)
                // eviction work runs inline (it is cheap and non-blocking), so the bound holds without a pool thread
                .executor(Runnable::run)
                .build();
    }

    static RateLimiter from(RateLimitConfig config, RateLimitClock clock) {
        return new RateLimiter(new Quota("global", config.globalPerMinute()), new Quota("ip", config.perIpPerMinute()),
                new Quota("user", config.perUserPerMinute()), config.maxTrackedClients(), clock);
    }

    /** An anonymous request from a client address (as {@link ClientAddresses} keys it). */
    RateDecision acquireForAddress(String address) {
        return acquire(perIp, "ip " + address);
    }

    /** An authenticated request, whatever address it comes from. */
    RateDecision acquireForUser(String user) {
        return acquire(perUser, "user " + user);
    }

    /**
     * Returns the token an allowed request took from its address's bucket (the global one keeps its token: the request
     * was served). Nothing happens if the bucket has meanwhile expired, which it only does when full.
     */
    void giveBackToAddress(String address) {
        Bucket bucket = clientBuckets.getIfPresent("ip " + address);
        if (bucket != null) {
            bucket.addTokens(1); // capped at the bucket's capacity
        }
    }

    private RateDecision acquire(Quota own, String key) {
        List<Quota> policies = List.of(own, global);
        Bucket ownBucket = clientBuckets.get(key, k -> own.newBucket(time));
        ConsumptionProbe ownProbe = ownBucket.tryConsumeAndReturnRemaining(1);
        if (!ownProbe.isConsumed()) {
            return RateDecision.refused(policies, own, ownProbe);
        }
        ConsumptionProbe globalProbe = globalBucket.tryConsumeAndReturnRemaining(1);
        if (!globalProbe.isConsumed()) {
            ownBucket.addTokens(1); // give back what this refused request took
            return RateDecision.refused(policies, global, globalProbe);
        }
        // report the policy closest to refusing; on a tie the client's own, which is the one it can do something about
        return globalProbe.getRemainingTokens() < ownProbe.getRemainingTokens()
                ? RateDecision.allowed(policies, global, globalProbe)
                : RateDecision.allowed(policies, own, ownProbe);
    }

    /** Client and user buckets held now (after pending evictions ran). */
    long trackedClients() {
        clientBuckets.cleanUp();
        return clientBuckets.estimatedSize();
    }
}
