package dev.monkeytown.kit.ids;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Makes ids that sort by creation time as plain strings (ULID layout: 48 bits of epoch millis then 80 random bits, 26
 * characters of Crockford base32): the ids of runs, builds and deployments. Listing "newest first" can then page with
 * the last id seen as the cursor, with no separate sort key, and a record is filed under the day its id carries.
 *
 * <p>
 * Ids from one generator are strictly increasing even within one millisecond or if the clock steps back: the random part
 * is incremented instead of redrawn, so two records made in the same millisecond keep their order.
 */
public final class SortableIds {

    static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    static final int LENGTH = 26;
    private static final long MAX_MILLIS = (1L << 48) - 1;

    private final Clock clock;
    private final RandomGenerator random;
    private long lastMillis = -1;
    private long randomHigh; // top 16 of the 80 random bits
    private long randomLow; // low 64 of the 80 random bits

    public SortableIds() {
        this(Clock.systemUTC());
    }

    public SortableIds(Clock clock) {
        this(clock, new SecureRandom());
    }

    public SortableIds(Clock clock, RandomGenerator random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    public synchronized String next() {
        long millis = clock.millis();
        if (millis < 0 || millis > MAX_MILLIS) {
            throw new IllegalStateException("clock outside the 48-bit millisecond range: " + millis);
        }
        if (millis <= lastMillis) {
            millis = lastMillis;
            increment();
            if (randomHigh > 0xFFFF) { // 80 bits exhausted within one millisecond: borrow the next one
                millis++;
                randomHigh = 0;
            }
        } else {
            randomHigh = random.nextInt(1 << 16);
            randomLow = random.nextLong();
        }
        lastMillis = millis;
        return encode((millis << 16) | randomHigh, randomLow);
    }

    /** The creation time encoded in an id, to the millisecond. */
    public static Instant timestampOf(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("not an id: '" + id + "'");
        }
        long millis = 0;
        for (int i = 0; i < 10; i++) {
            millis = (millis << 5) | ALPHABET.indexOf(id.charAt(i));
        }
        return Instant.ofEpochMilli(millis);
    }

    public static boolean isValid(String candidate) {
        if (candidate == null || candidate.length() != LENGTH || ALPHABET.indexOf(candidate.charAt(0)) > 7) {
            return false; // the first character carries only 3 bits, so anything past '7' would overflow 128 bits
        }
        return candidate.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0);
    }

    private void increment() {
        randomLow++;
        if (randomLow == 0) { // carry out of the low 64 bits
            randomHigh++;
        }
    }

    private static String encode(long high, long low) {
        char[] out = new char[LENGTH];
        for (int i = LENGTH - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (low & 31));
            low = (low >>> 5) | (high << 59);
            high >>>= 5;
        }
        return new String(out);
    }
}
