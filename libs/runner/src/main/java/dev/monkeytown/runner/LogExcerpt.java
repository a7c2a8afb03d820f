package dev.monkeytown.runner;

/**
 * A slice of a run's log.
 *
 * @param fromByte offset of the first byte of {@code text} in the whole log, so a reader can ask for what follows
 * @param totalBytes size of the whole log when it was read; the log may still be growing
 * @param text the slice decoded as UTF-8 (a character cut at either edge shows as a replacement character)
 */
public record LogExcerpt(long fromByte, long totalBytes, String text) {

    public boolean truncatedAtStart() {
        return fromByte > 0;
    }
}
