package dev.monkeytown.gateway.ratelimit;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Rate limits of the public surface (spec: global 1000/min, per IP 100/min, per user 500/min). They hold per gateway
 * instance; see docs for N replicas.
 */
@ConfigMapping(prefix = "monkeytown.gateway.rate-limit")
public interface RateLimitConfig {

    /** Off: no limiter runs at all (benchmarks compare with and without). */
    @WithDefault("true")
    boolean enabled();

    /** Requests per minute this instance accepts in total. */
    @WithDefault("1000")
    int globalPerMinute();

    /** Requests per minute from one anonymous client address (IPv6: one /64). */
    @WithDefault("100")
    int perIpPerMinute();

    /** Requests per minute from one authenticated user, from whatever addresses. */
    @WithDefault("500")
    int perUserPerMinute();

    /**
     * CIDRs of proxies in front of the gateway (e.g. {@code 10.0.0.0/8,fd00::/8}) whose {@code X-Forwarded-For} is
     * believed. Empty by default: the socket's address is the client.
     */
    Optional<List<String>> trustedProxies();

    /** Most client and user buckets kept; beyond it the least valuable go first, idle ones expire after a minute. */
    @WithDefault("100000")
    int maxTrackedClients();
}
