package dev.monkeytown.gateway.ratelimit;

import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
class SystemRateLimitClock implements RateLimitClock {

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
