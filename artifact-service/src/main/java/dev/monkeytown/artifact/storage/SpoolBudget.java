package dev.monkeytown.artifact.storage;

/**
 * The disk the upload spool may take, across every upload at once ({@code monkeytown.artifacts.spool-budget}). Each
 * spool file holds a {@link Reservation} that grows before a byte is written and is given back whole when the file
 * goes: stored, discarded, cancelled or expired. Without it, many concurrent uploads, each under the blob limit, could
 * fill the disk the spool shares with the local repository.
 */
public final class SpoolBudget {

    private final long total;
    private long reserved;

    public SpoolBudget(long total) {
        if (total < 0) {
            throw new IllegalArgumentException("a spool budget cannot be negative: " + total);
        }
        this.total = total;
    }

    /** No limit: for tools and tests that spool outside the service. */
    public static SpoolBudget unlimited() {
        return new SpoolBudget(Long.MAX_VALUE);
    }

    public long total() {
        return total;
    }

    public synchronized long reserved() {
        return reserved;
    }

    /** A new, empty reservation. */
    public Reservation open() {
        return new Reservation();
    }

    private synchronized void take(long bytes) throws SpoolFullException {
        if (bytes > total - reserved) {
            throw new SpoolFullException(total, reserved, bytes);
        }
        reserved += bytes;
    }

    private synchronized void give(long bytes) {
        reserved -= bytes;
    }

    /** One spool file's share of the budget. */
    public final class Reservation {

        private long held;
        private boolean released;

        private Reservation() {
        }

        /**
         * Makes sure {@code bytes} are held in all, taking more from the budget if needed; refused (nothing taken)
         * when the budget cannot give that much, or once released.
         */
        public synchronized void ensure(long bytes) throws SpoolFullException {
            if (released) {
                throw new IllegalStateException("this spool file's reservation was given back");
            }
            if (bytes > held) {
                take(bytes - held);
                held = bytes;
            }
        }

        /** Gives back what is held beyond {@code bytes} (a body shorter than it declared). */
        public synchronized void trim(long bytes) {
            if (!released && bytes < held) {
                give(held - bytes);
                held = bytes;
            }
        }

        public synchronized long held() {
            return held;
        }

        /** Gives everything back; repeating it does nothing. */
        public synchronized void release() {
            if (!released) {
                released = true;
                give(held);
                held = 0;
            }
        }
    }
}
