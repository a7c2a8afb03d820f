package dev.monkeytown.deploy.deployments;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Deployment ids that sort by creation time as plain strings — 26 characters of Crockford base32, 48 bits of epoch
 * milliseconds then 80 random bits (the ULID layout, as run ids) — so "newest first" pages with the last id as cursor and run ids (<id>-deploy, <id>-health) are valid.
 * Strictly increasing from one generator, even within a millisecond: the random part is incremented, not redrawn.
 */
public final class DeploymentIds {

    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int LENGTH = 26;

    private final Clock clock;
    private final RandomGenerator random;
    private long lastMillis = -1;
    private long high; // 16 random bits
    private long low; // 64 random bits

    public DeploymentIds(Clock clock) {
        this(clock, new SecureRandom());
    }

    DeploymentIds(Clock clock, RandomGenerator random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    public synchronized String next() {
        long millis = clock.millis();
        if (millis <= lastMillis) {
            millis = lastMillis;
            low++;
            if (low == 0) {
                high++;
            }
            if (high > 0xFFFF) {
                millis++;
                high = 0;
            }
        } else {
            high = random.nextInt(1 << 16);
            low = random.nextLong();
        }
        lastMillis = millis;
        long top = (millis << 16) | high;
        char[] out = new char[LENGTH];
        long lo = low;
        long hi = top;
        for (int i = LENGTH - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (lo & 31));
            lo = (lo >>> 5) | (hi << 59);
            hi >>>= 5;
        }
        return new String(out);
    }

    public static boolean isDeploymentId(String candidate) {
        if (candidate == null || candidate.length() != LENGTH || ALPHABET.indexOf(candidate.charAt(0)) > 7) {
            return false;
        }
        return candidate.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0);
    }

    public static Instant timestampOf(String id) {
        if (!isDeploymentId(id)) {
            throw new IllegalArgumentException("not a deployment id: '" + id + "'");
        }
        long millis = 0;
        for (int i = 0; i < 10; i++) {
            millis = (millis << 5) | ALPHABET.indexOf(id.charAt(i));
        }
        return Instant.ofEpochMilli(millis);
    }
}
