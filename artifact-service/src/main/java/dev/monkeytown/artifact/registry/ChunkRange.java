package dev.monkeytown.artifact.registry;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bytes a chunk of an upload claims to hold ({@code Content-Range} on {@code PATCH} or the closing {@code PUT}),
 * inclusive of both ends. The spec allows only {@code ^[0-9]+-[0-9]+$}; the {@code bytes } prefix some clients add is
 * tolerated. Anything else, numbers too large for a {@code long}, and ranges running backwards are no range at all.
 */
record ChunkRange(long first, long last) {

    private static final Pattern RANGE = Pattern.compile("(?:bytes )?([0-9]{1,19})-([0-9]{1,19})");

    /** The range {@code header} names, or empty when it names none. */
    static Optional<ChunkRange> parse(String header) {
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            long first = Long.parseLong(m.group(1));
            long last = Long.parseLong(m.group(2));
            return last < first ? Optional.empty() : Optional.of(new ChunkRange(first, last));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty(); // 19 digits can still pass Long.MAX_VALUE
        }
    }

    /** Its length in bytes; only asked once {@code last} is known to lie below the blob limit, so it cannot overflow. */
    long length() {
        return last - first + 1;
    }
}
