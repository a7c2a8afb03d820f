package dev.monkeytown.dispatcher.registry;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A standard five-field cron expression ({@code minute hour day-of-month month day-of-week}), evaluated in UTC as
 * GitHub Actions does, so an agent fires at the same instants in local and GitHub mode and no DST gap or repeat exists.
 *
 * <p>
 * Fields accept {@code *}, numbers, ranges {@code 1-5}, lists {@code 1,3,5}, steps {@code *}{@code /15}, {@code 10-50/10}
 * and {@code 5/15} (from 5 to the field's end), plus the names {@code JAN}-{@code DEC} and {@code SUN}-{@code SAT}.
 * Day-of-week 0 and 7 are both Sunday. As in Vixie cron and GitHub, when both day fields are restricted a day matches if
 * <em>either</em> does ({@code 0 0 1 * MON} is "the 1st and every Monday"); when one is {@code *}, only the other counts.
 */
public final class CronSchedule {

    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    /*
     * Every satisfiable expression fires within a leap cycle plus slack (29 February comes at least every 8 years across
     * a skipped century leap year), so a search that finds nothing in this window proves the expression never fires.
     */
    private static final int SEARCH_YEARS = 9;

    private final String expression;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean dayOfMonthRestricted;
    private final boolean dayOfWeekRestricted;

    private CronSchedule(String expression, String[] fields) {
        this.expression = expression;
        this.minutes = new Field("minute", 0, 59, List.of(), 0).parse(fields[0]);
        this.hours = new Field("hour", 0, 23, List.of(), 0).parse(fields[1]);
        this.daysOfMonth = new Field("day-of-month", 1, 31, List.of(), 1).parse(fields[2]);
        this.months = new Field("month", 1, 12, MONTHS, 1).parse(fields[3]);
        BitSet dow = new Field("day-of-week", 0, 7, DAYS, 0).parse(fields[4]);
        if (dow.get(7)) {
            dow.set(0);
            dow.clear(7);
        }
        this.daysOfWeek = dow;
        this.dayOfMonthRestricted = !fields[2].startsWith("*");
        this.dayOfWeekRestricted = !fields[4].startsWith("*");
    }

    /** @throws IllegalArgumentException with a message naming the offending field when the expression is not valid */
    public static CronSchedule parse(String expression) {
        Objects.requireNonNull(expression, "expression");
        String trimmed = expression.trim();
        String[] fields = trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("cron expression '" + expression
                    + "' must have 5 fields (minute hour day-of-month month day-of-week), found " + fields.length);
        }
        CronSchedule schedule;
        try {
            schedule = new CronSchedule(String.join(" ", fields), fields);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cron expression '" + expression + "': " + e.getMessage(), e);
        }
        if (schedule.nextWithin(LocalDateTime.of(2000, 1, 1, 0, 0)) == null) {
            throw new IllegalArgumentException("cron expression '" + expression + "' never fires (no such date)");
        }
        return schedule;
    }

    public String expression() {
        return expression;
    }

    /** The first fire time strictly after {@code after}; fire times are whole minutes in UTC. */
    public Instant next(Instant after) {
        Objects.requireNonNull(after, "after");
        LocalDateTime start = LocalDateTime.ofInstant(after, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES)
                .plusMinutes(1);
        LocalDateTime next = nextWithin(start);
        if (next == null) {
            // parse() proved the expression fires; reaching this means the search window reasoning is wrong.
            throw new IllegalStateException("no fire time found for '" + expression + "' after " + after);
        }
        return next.toInstant(ZoneOffset.UTC);
    }

    /**
     * Whether at least one tick fell in {@code (lastRun, now]}. A scheduler asks this instead of counting ticks so an
     * agent whose ticks were missed during downtime runs once on recovery, not once per missed tick.
     */
    public boolean dueSince(Instant lastRun, Instant now) {
        Objects.requireNonNull(now, "now");
        return !next(lastRun).isAfter(now);
    }

    /** The first matching minute at or after {@code start}, or null if none within the search window. */
    private LocalDateTime nextWithin(LocalDateTime start) {
        LocalDateTime limit = start.plusYears(SEARCH_YEARS);
        LocalDateTime t = start;
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
            } else if (!dayMatches(t)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                return t;
            }
        }
        return null;
    }

    private boolean dayMatches(LocalDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
        if (dayOfMonthRestricted && dayOfWeekRestricted) {
            return dom || dow;
        }
        return dom && dow;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CronSchedule that && expression.equals(that.expression);
    }

    @Override
    public int hashCode() {
        return expression.hashCode();
    }

    @Override
    public String toString() {
        return expression;
    }

    /** One field's grammar; {@code nameBase} is the value of the first name (JAN is 1, SUN is 0). */
    private record Field(String label, int min, int max, List<String> names, int nameBase) {

        BitSet parse(String text) {
            BitSet values = new BitSet(max + 1);
            for (String part : text.split(",", -1)) {
                parsePart(part, values);
            }
            return values;
        }

        private void parsePart(String part, BitSet values) {
            if (part.isEmpty()) {
                throw invalid("empty list element in '" + part + "'");
            }
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1));
                if (step < 1) {
                    throw invalid("step must be at least 1 in '" + part + "'");
                }
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] bounds = range.split("-", -1);
                if (bounds.length != 2) {
                    throw invalid("'" + part + "' is not a range");
                }
                from = value(bounds[0]);
                to = value(bounds[1]);
                if (from > to) {
                    throw invalid("range '" + range + "' runs backwards");
                }
            } else {
                from = value(range);
                // "5/15" means from 5 to the end of the field in steps of 15, as in Vixie cron.
                to = slash >= 0 ? max : from;
            }
            for (int v = from; v <= to; v += step) {
                values.set(v);
            }
        }

        private int value(String token) {
            int index = names.indexOf(token.toUpperCase(Locale.ROOT));
            int v = index >= 0 ? index + nameBase : number(token);
            if (v < min || v > max) {
                throw invalid("value " + v + " is outside " + min + "-" + max);
            }
            return v;
        }

        private int number(String token) {
            if (token.isEmpty() || token.length() > 4 || !token.chars().allMatch(Character::isDigit)) {
                throw invalid("'" + token + "' is not a number" + (names.isEmpty() ? "" : " or a name like " + names.get(1)));
            }
            return Integer.parseInt(token);
        }

        private IllegalArgumentException invalid(String detail) {
            return new IllegalArgumentException(label + " field: " + detail);
        }
    }
}
