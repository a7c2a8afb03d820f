package dev.monkeytown.dispatcher.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronScheduleTest {

    private static Instant at(String utc) {
        return Instant.parse(utc);
    }

    private static List<Instant> ticks(String expression, String from, int count) {
        CronSchedule cron = CronSchedule.parse(expression);
        List<Instant> ticks = new ArrayList<>();
        Instant t = at(from);
        for (int i = 0; i < count; i++) {
            t = cron.next(t);
            ticks.add(t);
        }
        return ticks;
    }

    @Test
    void everyMinuteFiresOnTheNextWholeMinuteStrictlyAfter() {
        CronSchedule cron = CronSchedule.parse("* * * * *");
        assertEquals(at("2026-03-01T10:01:00Z"), cron.next(at("2026-03-01T10:00:00Z")));
        assertEquals(at("2026-03-01T10:01:00Z"), cron.next(at("2026-03-01T10:00:59.999Z")));
    }

    @Test
    void hourlyAtMinuteZero() {
        assertEquals(List.of(at("2026-03-01T11:00:00Z"), at("2026-03-01T12:00:00Z")),
                ticks("0 * * * *", "2026-03-01T10:00:00Z", 2));
    }

    @Test
    void stepsFromStar() {
        assertEquals(List.of(at("2026-03-01T10:15:00Z"), at("2026-03-01T10:30:00Z"), at("2026-03-01T10:45:00Z"),
                at("2026-03-01T11:00:00Z")), ticks("*/15 * * * *", "2026-03-01T10:00:00Z", 4));
    }

    @Test
    void stepsOverARangeAndFromAStart() {
        assertEquals(List.of(at("2026-03-01T10:10:00Z"), at("2026-03-01T10:30:00Z"), at("2026-03-01T10:50:00Z"),
                at("2026-03-01T11:10:00Z")), ticks("10-50/20 * * * *", "2026-03-01T10:00:00Z", 4));
        assertEquals(List.of(at("2026-03-01T10:05:00Z"), at("2026-03-01T10:25:00Z"), at("2026-03-01T10:45:00Z"),
                at("2026-03-01T11:05:00Z")), ticks("5/20 * * * *", "2026-03-01T10:00:00Z", 4));
    }

    @Test
    void listsAndRangesCombine() {
        assertEquals(List.of(at("2026-03-01T09:00:00Z"), at("2026-03-01T10:00:00Z"), at("2026-03-01T14:00:00Z"),
                at("2026-03-02T09:00:00Z")), ticks("0 9-10,14 * * *", "2026-03-01T00:00:00Z", 4));
    }

    @Test
    void nextCrossesMonthAndYearBoundaries() {
        assertEquals(at("2026-02-01T00:00:00Z"), CronSchedule.parse("0 0 1 * *").next(at("2026-01-31T12:00:00Z")));
        assertEquals(at("2027-01-01T00:00:00Z"), CronSchedule.parse("0 0 1 1 *").next(at("2026-01-01T00:00:00Z")));
        assertEquals(at("2027-01-01T00:00:00Z"), CronSchedule.parse("0 0 * * *").next(at("2026-12-31T23:59:00Z")));
    }

    @Test
    void dayOfMonthThatSomeMonthsLackSkipsThem() {
        assertEquals(List.of(at("2026-01-31T00:00:00Z"), at("2026-03-31T00:00:00Z"), at("2026-05-31T00:00:00Z")),
                ticks("0 0 31 * *", "2026-01-01T00:00:00Z", 3));
    }

    @Test
    void leapDayWaitsForALeapYear() {
        assertEquals(at("2028-02-29T00:00:00Z"), CronSchedule.parse("0 0 29 2 *").next(at("2026-01-01T00:00:00Z")));
    }

    @Test
    void dayOfWeekZeroAndSevenAreBothSunday() {
        // 2026-03-01 is a Sunday.
        Instant saturday = at("2026-02-28T12:00:00Z");
        assertEquals(at("2026-03-01T00:00:00Z"), CronSchedule.parse("0 0 * * 0").next(saturday));
        assertEquals(at("2026-03-01T00:00:00Z"), CronSchedule.parse("0 0 * * 7").next(saturday));
        assertEquals(at("2026-03-01T00:00:00Z"), CronSchedule.parse("0 0 * * SUN").next(saturday));
    }

    @Test
    void weekdayRangeSkipsTheWeekend() {
        // Friday 2026-02-27 09:00 is the last weekday tick before Monday 2026-03-02.
        assertEquals(List.of(at("2026-03-02T09:00:00Z"), at("2026-03-03T09:00:00Z")),
                ticks("0 9 * * 1-5", "2026-02-27T09:00:00Z", 2));
        assertEquals(List.of(at("2026-03-02T09:00:00Z"), at("2026-03-03T09:00:00Z")),
                ticks("0 9 * * mon-FRI", "2026-02-27T09:00:00Z", 2));
    }

    @Test
    void monthNames() {
        assertEquals(at("2026-06-01T00:00:00Z"), CronSchedule.parse("0 0 1 JUN,DEC *").next(at("2026-01-15T00:00:00Z")));
        assertEquals(at("2026-12-01T00:00:00Z"), CronSchedule.parse("0 0 1 JUN,DEC *").next(at("2026-06-01T00:00:00Z")));
    }

    @Test
    void bothDayFieldsRestrictedMeansEither() {
        // The 15th (a Sunday in March 2026) or any Monday.
        assertEquals(List.of(at("2026-03-02T00:00:00Z"), at("2026-03-09T00:00:00Z"), at("2026-03-15T00:00:00Z"),
                at("2026-03-16T00:00:00Z")), ticks("0 0 15 * MON", "2026-03-01T00:00:00Z", 4));
    }

    @Test
    void starredDayOfMonthWithStepStillCountsAsUnrestricted() {
        // Vixie cron: a field starting with '*' does not turn the day rule into "either".
        assertEquals(at("2026-03-02T00:00:00Z"), CronSchedule.parse("0 0 */1 * MON").next(at("2026-03-01T00:00:00Z")));
    }

    @Test
    void fireTimesAreUtcWithoutDaylightSavingGaps() {
        // 02:30 does not exist in Europe/Berlin on 2026-03-29; in UTC it does, every day.
        assertEquals(List.of(at("2026-03-28T02:30:00Z"), at("2026-03-29T02:30:00Z"), at("2026-03-30T02:30:00Z")),
                ticks("30 2 * * *", "2026-03-28T00:00:00Z", 3));
    }

    @Test
    void missedTicksDuringDowntimeMakeOneDueRun() {
        CronSchedule hourly = CronSchedule.parse("0 * * * *");
        Instant lastRun = at("2026-03-01T10:00:00Z");
        Instant afterFiveMissedTicks = at("2026-03-01T15:30:00Z");
        assertTrue(hourly.dueSince(lastRun, afterFiveMissedTicks));
        // The scheduler records the catch-up run; the ticks it covered are not due again.
        assertFalse(hourly.dueSince(afterFiveMissedTicks, at("2026-03-01T15:59:59Z")));
        assertTrue(hourly.dueSince(afterFiveMissedTicks, at("2026-03-01T16:00:00Z")));
    }

    @Test
    void dueSinceIsExclusiveOfLastRunAndInclusiveOfNow() {
        CronSchedule hourly = CronSchedule.parse("0 * * * *");
        assertFalse(hourly.dueSince(at("2026-03-01T10:00:00Z"), at("2026-03-01T10:59:00Z")));
        assertTrue(hourly.dueSince(at("2026-03-01T10:00:00Z"), at("2026-03-01T11:00:00Z")));
        assertTrue(hourly.dueSince(at("2026-03-01T09:59:59Z"), at("2026-03-01T10:00:00Z")));
    }

    @Test
    void whitespaceBetweenFieldsIsNormalised() {
        assertEquals("0 * * * *", CronSchedule.parse("  0  *\t* * *  ").expression());
        assertEquals(CronSchedule.parse("0 * * * *"), CronSchedule.parse(" 0 *  * * *"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                | must have 5 fields",
            "* * * *           | must have 5 fields",
            "* * * * * *       | must have 5 fields",
            "60 * * * *        | minute field: value 60 is outside 0-59",
            "* 24 * * *        | hour field: value 24 is outside 0-23",
            "* * 0 * *         | day-of-month field: value 0 is outside 1-31",
            "* * * 13 *        | month field: value 13 is outside 1-12",
            "* * * * 8         | day-of-week field: value 8 is outside 0-7",
            "*/0 * * * *       | step must be at least 1",
            "5-1 * * * *       | runs backwards",
            "1,,2 * * * *      | empty list element",
            "a * * * *         | minute field: 'a' is not a number",
            "* * * FOO *       | or a name like FEB",
            "1-2-3 * * * *     | is not a range",
            "0 0 30 2 *        | never fires",
            "@hourly           | must have 5 fields"
    })
    void invalidExpressionsSayWhatIsWrong(String expression, String expectedMessage) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse(expression));
        assertTrue(e.getMessage().contains(expectedMessage), e.getMessage());
        assertTrue(e.getMessage().contains("'" + expression + "'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 0 * * 7", "0 0 1-7 * SUN-SAT", "*/5 1,2 */2 jan-dec *", "0 12 * * 1-5"})
    void acceptsValidExpressions(String expression) {
        assertEquals(expression, CronSchedule.parse(expression).expression());
    }
}
