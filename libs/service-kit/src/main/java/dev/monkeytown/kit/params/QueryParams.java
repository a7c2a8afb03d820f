package dev.monkeytown.kit.params;

import jakarta.ws.rs.BadRequestException;

/**
 * Whole-number query parameters ({@code limit}, {@code attempt}, {@code from}) read the same way by every service: a
 * missing one takes its default, anything else that is not a number in range is a 400 naming the parameter, its range
 * and what was sent (the service kit maps it to problem+json).
 */
public final class QueryParams {

    private QueryParams() {
    }

    /** {@code value} as a whole number from {@code min} to {@code max}; {@code absent} when not sent. */
    public static long wholeNumber(String name, String value, long min, long max, long absent) {
        if (value == null) {
            return absent;
        }
        try {
            long number = Long.parseLong(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        String range = max == Long.MAX_VALUE ? "of " + min + " or more" : "from " + min + " to " + max;
        throw new BadRequestException(name + " must be a whole number " + range + ", was '" + value + "'");
    }

    /** A page size from 1 to {@code max}, {@code absent} when not sent. */
    public static int limit(String value, int max, int absent) {
        return (int) wholeNumber("limit", value, 1, max, absent);
    }
}
