package dev.monkeytown.runner.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import dev.monkeytown.runner.LogExcerpt;
import dev.monkeytown.runner.RunSpec;
import dev.monkeytown.runner.SecretValues;

/**
 * The directory of run logs, one {@code <run-id>.log} per run. Logs outlive the runs and the runner process, so a log is
 * found from its id alone rather than from anything kept in memory.
 */
final class RunLogs {

    private final Path directory;
    private final long limit;

    RunLogs(Path directory, long limit) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.limit = limit;
    }

    Path fileOf(String runId) {
        return directory.resolve(RunSpec.requireId(runId) + ".log");
    }

    boolean exists(String runId) {
        return RunSpec.isValidId(runId) && Files.exists(fileOf(runId));
    }

    /** A new, empty log for the run whose every byte is masked with {@code secrets} on its way to disk. */
    RunLog create(String runId, SecretValues secrets) throws IOException {
        Files.createDirectories(directory);
        Path file = fileOf(runId);
        Files.deleteIfExists(file); // a retried id must not show an earlier attempt's output as its own
        return new RunLog(file, secrets, limit);
    }

    /** A remark at the end of an existing log (a run's leftovers stopped by a later runner). */
    void appendNote(String runId, String message, SecretValues secrets) {
        try {
            Files.writeString(fileOf(runId), "[monkeytown " + Instant.now() + "] " + secrets.mask(message) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.CREATE);
        } catch (IOException | RuntimeException e) {
            // a remark that cannot be written loses nothing the service log does not also say
        }
    }

    Optional<LogExcerpt> tail(String runId, int maxBytes) {
        if (!RunSpec.isValidId(runId)) {
            return Optional.empty();
        }
        return read(fileOf(runId), -1, maxBytes);
    }

    /** A byte range, for readers that follow a log by asking for what comes after the last excerpt. */
    Optional<LogExcerpt> range(String runId, long fromByte, int maxBytes) {
        if (fromByte < 0) {
            throw new IllegalArgumentException("fromByte must not be negative");
        }
        if (!RunSpec.isValidId(runId)) {
            return Optional.empty();
        }
        return read(fileOf(runId), fromByte, maxBytes);
    }

    private static Optional<LogExcerpt> read(Path file, long fromByte, int maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            long start = fromByte < 0 ? Math.max(0, size - maxBytes) : Math.min(fromByte, size);
            int length = (int) Math.min(maxBytes, size - start);
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer, start + buffer.position()) > 0) {
                // keep reading: a single read may return fewer bytes than asked
            }
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            return Optional.of(new LogExcerpt(start, size, text));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
