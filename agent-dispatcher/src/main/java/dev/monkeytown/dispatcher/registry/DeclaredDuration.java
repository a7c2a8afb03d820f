package dev.monkeytown.dispatcher.registry;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in {@code agents.yaml}: {@code 30s}, {@code 10m}, {@code 1h}, combinations such as
 * {@code 1h30m}, or ISO-8601 {@code PT10M}. A bare number is refused because its unit would be a guess.
 */
public final class DeclaredDuration {

    private static final Pattern SHORT = Pattern.compile("(?:\\d{1,6}[hms])+");
    private static final Pattern PART = Pattern.compile("(\\d{1,6})([hms])");

    private DeclaredDuration() {
    }

    /** @throws IllegalArgumentException saying which forms are accepted */
    public static Duration parse(String text) {
        Objects.requireNonNull(text, "text");
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
                // fall through to the common message
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 30s, 10m, 1h, 1h30m or PT10M");
    }
}
