package dev.monkeytown.runner.local;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

import dev.monkeytown.runner.SecretValues;

/**
 * Replaces every secret in a byte stream with {@value SecretValues#MASK} as the stream is written. A secret may arrive
 * split across any number of writes (a process writes whatever its buffer holds), so bytes that could still be the
 * start of a secret are held back until the following bytes decide it; at most the longest secret's length minus one
 * byte is ever held. {@link #close()} writes out what is held: no more bytes can complete a secret then.
 *
 * <p>
 * Thread-safe: a run's output and the runner's own remarks go through the same stream.
 */
final class MaskingOutputStream extends OutputStream {

    private static final byte[] MASK = SecretValues.MASK.getBytes(StandardCharsets.UTF_8);

    private final OutputStream out;
    /** Longest first, so a secret that contains a shorter one is masked whole. */
    private final byte[][] secrets;
    private byte[] pending = new byte[256];
    private int length;

    MaskingOutputStream(OutputStream out, SecretValues values) {
        this.out = out;
        this.secrets = values.values().stream().map(v -> v.getBytes(StandardCharsets.UTF_8))
                .sorted(Comparator.comparingInt((byte[] b) -> b.length).reversed()).toArray(byte[][]::new);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int count) throws IOException {
        if (secrets.length == 0) {
            out.write(bytes, offset, count);
            return;
        }
        if (length + count > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, length + count));
        }
        System.arraycopy(bytes, offset, pending, length, count);
        length += count;
        drain(false);
    }

    /** Flushes what is certainly not part of a secret; bytes that may still become one stay held. */
    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            drain(true);
            out.flush();
        } finally {
            out.close();
        }
    }

    private void drain(boolean atEnd) throws IOException {
        int written = 0; // pending[0, written) is out
        int plainFrom = 0; // start of a run of bytes that are known not to be secret
        int i = 0;
        while (i < length) {
            if (!atEnd && mayStartSecretBeyondEnd(i)) {
                break; // the rest may be the beginning of a secret: wait for more bytes
            }
            int matched = secretAt(i);
            if (matched > 0) {
                out.write(pending, plainFrom, i - plainFrom);
                out.write(MASK);
                i += matched;
                plainFrom = i;
            } else {
                i++;
            }
            written = i;
        }
        out.write(pending, plainFrom, written - plainFrom);
        System.arraycopy(pending, written, pending, 0, length - written);
        length -= written;
    }

    /** Length of the longest secret that starts at {@code at} and lies wholly in the pending bytes, or 0. */
    private int secretAt(int at) {
        for (byte[] secret : secrets) {
            if (secret.length <= length - at && Arrays.equals(pending, at, at + secret.length, secret, 0,
                    secret.length)) {
                return secret.length;
            }
        }
        return 0;
    }

    /** True when the bytes from {@code at} to the end are a proper prefix of some secret. */
    private boolean mayStartSecretBeyondEnd(int at) {
        int available = length - at;
        for (byte[] secret : secrets) {
            if (secret.length > available && Arrays.equals(pending, at, length, secret, 0, available)) {
                return true;
            }
        }
        return false;
    }
}
