package dev.monkeytown.github.testdouble;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Predicate;

/**
 * GitHub's {@code created} filter on workflow runs: {@code >=X}, {@code >X}, {@code <=X}, {@code <X}, {@code X..Y} or
 * {@code X}, where X is a date ({@code 2026-11-28}, a whole UTC day) or a date-time.
 */
final class CreatedQuery implements Predicate<Instant> {

    private final Instant from; // inclusive
    private final Instant until; // exclusive

    private CreatedQuery(Instant from, Instant until) {
        this.from = from;
        this.until = until;
    }

    static CreatedQuery parse(String query) {
        if (query == null || query.isBlank()) {
            return new CreatedQuery(Instant.MIN, Instant.MAX);
        }
        String q = query.trim();
        if (q.startsWith(">=")) {
            return new CreatedQuery(start(q.substring(2)), Instant.MAX);
        }
        if (q.startsWith(">")) {
            return new CreatedQuery(end(q.substring(1)), Instant.MAX);
        }
        if (q.startsWith("<=")) {
            return new CreatedQuery(Instant.MIN, end(q.substring(2)));
        }
        if (q.startsWith("<")) {
            return new CreatedQuery(Instant.MIN, start(q.substring(1)));
        }
        int range = q.indexOf("..");
        if (range >= 0) {
            return new CreatedQuery(start(q.substring(0, range)), end(q.substring(range + 2)));
        }
        return new CreatedQuery(start(q), end(q));
    }

    @Override
    public boolean test(Instant created) {
        return !created.isBefore(from) && created.isBefore(until);
    }

    private static Instant start(String value) {
        return value.contains("T")
                ? OffsetDateTime.parse(value).toInstant()
                : LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** The first instant after {@code value}: the next day for a date, the next second for a date-time. */
    private static Instant end(String value) {
        return value.contains("T")
                ? OffsetDateTime.parse(value).toInstant().plusSeconds(1)
                : LocalDate.parse(value).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }
}
