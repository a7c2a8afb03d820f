package dev.monkeytown.websocket.connection;

/** Counts a connection's frames in one-second windows. Used from the connection's event loop only. */
final class FloodGuard {

    private final int perSecond;
    private long windowStart;
    private int count;

    FloodGuard(int perSecond) {
        this.perSecond = perSecond;
    }

    /** @return false once more than {@code perSecond} frames arrived within the current second */
    boolean admit(long nowNanos) {
        if (nowNanos - windowStart >= 1_000_000_000L) {
            windowStart = nowNanos;
            count = 0;
        }
        return ++count <= perSecond;
    }
}
