package dev.monkeytown.build.pipeline;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code 30s}, {@code 10m}, {@code 1h30m} or ISO-8601 {@code PT10M}, as in {@code agents.yaml}; a bare number is refused. */
final class DeclaredDuration {

    private static final Pattern SHORT = Pattern.compile("(?:\\d{1,6}[hms])+");
    private static final Pattern PART = Pattern.compile("(\\d{1,6})([hms])");

    private DeclaredDuration() {
    }

    static Duration parse(String text) {
        String trimmed = text.trim();
        if (SHORT.matcher(trimmed).matches()) {
            Duration total = Duration.ZERO;
            Matcher part = PART.matcher(trimmed);
            while (part.find()) {
                long amount = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "h" -> Duration.ofHours(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofSeconds(amount);
                });
            }
            return total;
        }
        if (trimmed.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Duration.parse(trimmed);
            } catch (DateTimeParseException e) {
                // the common message below
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 30s, 10m, 1h30m or PT10M");
    }
}
