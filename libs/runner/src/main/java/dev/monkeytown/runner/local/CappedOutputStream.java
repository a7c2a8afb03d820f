package dev.monkeytown.runner.local;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Keeps the first {@code limit} bytes written and drops the rest, counting them. It sits under the masking stream, so
 * the cut falls on bytes already masked: a secret cut in two can never leave its first part on disk in the clear.
 * Remarks (the runner's own lines) pass uncounted and are never dropped.
 */
final class CappedOutputStream extends OutputStream {

    private final OutputStream out;
    private final long limit;
    private final Runnable onFirstDrop;
    private long kept;
    private long dropped;

    /** @param onFirstDrop called once, when the first byte is dropped (to say so in the log) */
    CappedOutputStream(OutputStream out, long limit, Runnable onFirstDrop) {
        this.out = out;
        this.limit = limit;
        this.onFirstDrop = onFirstDrop;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int count) throws IOException {
        int keep = (int) Math.min(count, limit - kept);
        if (keep > 0) {
            out.write(bytes, offset, keep);
            kept += keep;
        }
        if (keep < count) {
            boolean first = dropped == 0;
            dropped += count - Math.max(keep, 0);
            if (first) {
                onFirstDrop.run();
            }
        }
    }

    /** A line of the runner's own, outside the limit. */
    synchronized void remark(byte[] line) throws IOException {
        out.write(line);
        out.flush();
    }

    synchronized long dropped() {
        return dropped;
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
