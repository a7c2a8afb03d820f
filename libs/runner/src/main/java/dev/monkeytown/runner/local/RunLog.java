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
    private final CappedOutputStream capped;
    private final OutputStream out;

    /**
     * @param limit most bytes of the command's (masked) output kept; past it the output is dropped and the log says
     *        so, the runner's own remarks still written
     */
    RunLog(Path file, SecretValues secrets, long limit) throws IOException {
        this.file = file;
        this.secrets = secrets;
        this.capped = new CappedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), limit,
                () -> remark("\n", "the log stops here: the command's output passed "
                        + limit + " bytes; the rest is dropped"));
        this.out = new MaskingOutputStream(capped, secrets);
    }

    Path file() {
        return file;
    }

    /**
     * The runner's remark on its own line; exception messages can carry anything, so they are masked too. It goes
     * beside the masking stream, not through it: bytes held there as a possible start of a secret stay held (through
     * it, the remark would complete them as "not a secret" and write them out in the clear).
     */
    void note(String message) {
        remark("", message);
    }

    private void remark(String before, String message) {
        try {
            capped.remark((before + "[monkeytown " + Instant.now() + "] " + secrets.mask(message) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies the command's output into the log until the output ends (every process holding the pipe is gone). Writes
     * each read at once: a reader following the log sees output as it comes, less what may still be a secret. Past the
     * limit the output is still read to its end (a command blocked on a full pipe would hang until its timeout), only
     * dropped.
     */
    void copy(InputStream output) throws IOException {
        byte[] buffer = new byte[8192];
        for (int n = output.read(buffer); n >= 0; n = output.read(buffer)) {
            out.write(buffer, 0, n);
            out.flush();
        }
        long dropped = capped.dropped();
        if (dropped > 0) {
            // counted after masking; bytes the masking still holds (less than a secret's length) are not in it yet
            note(dropped + " bytes of output were dropped");
        }
    }

    @Override
    public void close() {
        try {
            out.close(); // writes out what the masking held back, then closes the file
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
