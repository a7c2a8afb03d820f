package dev.monkeytown.state.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Git trailers ({@code Key: value} lines in the last paragraph of a message) as state commits use them:
 * {@code Monkeytown-Batch} names the batch a commit holds, so a commit whose answer was lost is recognised by identity;
 * {@code Co-authored-by} credits actors a backend cannot record as author.
 */
public final class CommitTrailers {

    public static final String BATCH = "Monkeytown-Batch";
    public static final String CO_AUTHORED_BY = "Co-authored-by";

    private static final Pattern TRAILER = Pattern.compile("[A-Za-z0-9-]+: .*");

    private CommitTrailers() {
    }

    /** The batch id the message carries, if any (the last one, which the engine appends). */
    public static Optional<String> batchId(String message) {
        List<String> ids = values(message, BATCH);
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(ids.size() - 1));
    }

    /** Whether the message names {@code id} as its batch. */
    public static boolean carriesBatch(String message, String id) {
        return values(message, BATCH).contains(id);
    }

    /** The message without any {@code key} trailer: callers' messages must not bring a batch id of their own. */
    public static String without(String message, String key) {
        String prefix = key + ": ";
        return String.join("\n", message.lines().filter(line -> !line.startsWith(prefix)).toList()).strip();
    }

    /** Every value of trailer {@code key} in the message's trailer block. */
    public static List<String> values(String message, String key) {
        List<String> values = new ArrayList<>();
        String prefix = key + ": ";
        for (String line : trailerBlock(message)) {
            if (line.startsWith(prefix)) {
                values.add(line.substring(prefix.length()).strip());
            }
        }
        return values;
    }

    /**
     * The message with {@code key: value} in its trailer block: appended to the last paragraph if that is a trailer
     * block, else as a new paragraph. A line already there is not repeated.
     */
    public static String with(String message, String key, String value) {
        String line = key + ": " + value;
        String text = message.strip();
        if (trailerBlock(text).contains(line)) {
            return text;
        }
        return trailerBlock(text).isEmpty() ? text + "\n\n" + line : text + "\n" + line;
    }

    /** The lines of the last paragraph if every one is a trailer, else none. A one-paragraph message has none. */
    private static List<String> trailerBlock(String message) {
        String text = message.strip();
        int gap = text.lastIndexOf("\n\n");
        if (gap < 0) {
            return List.of();
        }
        List<String> lines = text.substring(gap + 2).lines().toList();
        return lines.stream().allMatch(line -> TRAILER.matcher(line).matches()) ? lines : List.of();
    }
}
