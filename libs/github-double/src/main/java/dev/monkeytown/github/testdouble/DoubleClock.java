package dev.monkeytown.github.testdouble;

import java.time.Duration;
import java.time.Instant;

/**
 * GitHub's clock as the double plays it: the machine's clock offset by a skew a test sets. Only what GitHub tells a
 * client about time goes through it (the {@code Date} header, {@code x-ratelimit-reset}, dates GitHub stamps on
 * commits); waiting and windows run on real time, as they would on GitHub's side.
 */
final class DoubleClock {

    private volatile Duration skew = Duration.ZERO;

    void skew(Duration skew) {
        this.skew = skew;
    }

    Instant now() {
        return Instant.now().plus(skew);
    }

    /** A real instant as GitHub's clock writes it. */
    Instant asGitHubSays(Instant real) {
        return real.plus(skew);
    }
}
