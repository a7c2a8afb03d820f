package dev.monkeytown.runner.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import dev.monkeytown.runner.SecretValues;

/**
 * One run's log as it is written: the command's output and the runner's own remarks, both through the same
 * {@link MaskingOutputStream}, so neither can put a secret on disk. The command never writes the file itself; its output
 * is piped through {@link #copy}.
 */
final class RunLog implements AutoCloseable {

    private final Path file;
    private final SecretValues secrets;
    private final OutputStream out;
    private final long limit;

    RunLog(Path file, SecretValues secrets, long limit) throws IOException {
        this.file = file;
        this.secrets = secrets;
        this.limit = limit;
        this.out = new MaskingOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), secrets);
    }

    Path file() {
        return file;
    }

    /** The runner's remark on its own line; exception messages can carry anything, so they are masked too. */
    void note(String message) {
        try {
            out.write(("[monkeytown " + Instant.now() + "] " + secrets.mask(message) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies the command's output into the log until the output ends (every process holding the pipe is gone). Writes
     * each read at once: a reader following the log sees output as it comes, less what may still be a secret. Past the
     * limit the output is still read to its end (a command blocked on a full pipe would hang until its timeout) but
     * dropped, and the log says so once.
     */
    void copy(InputStream output) throws IOException {
        byte[] buffer = new byte[8192];
        long kept = 0;
        long dropped = 0;
        for (int n = output.read(buffer); n >= 0; n = output.read(buffer)) {
            int keep = (int) Math.min(n, limit - kept);
            if (keep > 0) {
                out.write(buffer, 0, keep);
                out.flush();
                kept += keep;
            }
            if (keep < n) {
                if (dropped == 0) {
                    out.write('\n'); // the cut may fall mid-line: the remark starts a line of its own
                    note("the log stops here: the command's output passed " + limit + " bytes; the rest is dropped");
                }
                dropped += n - keep;
            }
        }
        if (dropped > 0) {
            note(dropped + " bytes of output were dropped");
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
