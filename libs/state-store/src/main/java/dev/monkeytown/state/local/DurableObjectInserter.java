package dev.monkeytown.state.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PackParser;

/**
 * Writes the loose objects of one commit with their fsyncs in parallel.
 * <p>
 * JGit's own inserter ({@code core.fsyncObjectFiles}) fsyncs each object before writing the next, so a commit of 40
 * documents waited for 40 disk flushes in a row, and a group commit saved little over a commit per change. Here
 * {@link #flush()} writes every object to a temp file in {@code objects/} and fsyncs all of them at once (the disk
 * and the file system's journal merge concurrent flushes), then renames each into place. Content is thus on disk
 * before any object file appears under its id: a crash can leave {@code objects/tmp_obj_*} garbage (Git's own name for
 * its temp objects, which {@code git gc} removes) but never a truncated object that a later commit would trust
 * because its id exists.
 * <p>
 * Like Git, this does not fsync the fan-out folders after the renames: on a journaling file system (ext4, XFS) the
 * fsync of the ref's folder that {@link LocalBranchBackend} does before acknowledging commits the journal transaction
 * holding these renames too.
 * <p>
 * Objects already in the repository are not rewritten. Objects are buffered until {@link #flush()};
 * {@link #newReader()} does not see them before that.
 */
final class DurableObjectInserter extends ObjectInserter {

    private final Repository repository;
    private final Path objects;
    private final Executor io;
    private final Map<ObjectId, byte[]> pending = new LinkedHashMap<>();
    private final Map<ObjectId, Integer> types = new LinkedHashMap<>();

    DurableObjectInserter(Repository repository, Executor io) {
        this.repository = repository;
        this.objects = repository.getDirectory().toPath().resolve(Constants.OBJECTS);
        this.io = io;
    }

    /** Takes ownership of a whole {@code data} array: callers here never reuse one after inserting it. */
    @Override
    public ObjectId insert(int type, byte[] data, int offset, int length) {
        ObjectId id = idFor(type, data, offset, length);
        if (!pending.containsKey(id)) {
            pending.put(id, offset == 0 && length == data.length
                    ? data
                    : Arrays.copyOfRange(data, offset,
                            offset + length));
            types.put(id, type);
        }
        return id;
    }

    /**
     * Trees and commits are bytes this backend generates from validated names and object ids, so nobody can steer
     * them into a SHA-1 collision: they are hashed with the JDK's intrinsic SHA-1, several times faster than JGit's
     * collision-detecting one, which matters for the large folder trees rewritten on every commit. Blobs carry
     * callers' content and keep JGit's detection.
     */
    @Override
    public ObjectId idFor(int type, byte[] data, int offset, int length) {
        if (type == Constants.OBJ_BLOB) {
            return super.idFor(type, data, offset, length);
        }
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(Constants.encodedTypeString(type));
            sha1.update((" " + length + "\0").getBytes(StandardCharsets.US_ASCII));
            sha1.update(data, offset, length);
            return ObjectId.fromRaw(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-1", e);
        }
    }

    @Override
    public ObjectId insert(int type, long length, InputStream in) throws IOException {
        if (length > Integer.MAX_VALUE) {
            throw new IOException("object of " + length + " bytes is too large for a state document");
        }
        byte[] data = in.readNBytes((int) length);
        if (data.length != length) {
            throw new IOException("stream ended after " + data.length + " of " + length + " bytes");
        }
        return insert(type, data, 0, data.length);
    }

    @Override
    public void flush() throws IOException {
        List<ObjectId> missing = new ArrayList<>();
        for (ObjectId id : pending.keySet()) {
            Path file = fileOf(id);
            if (!Files.exists(file)) {
                missing.add(id);
                Files.createDirectories(file.getParent());
            }
        }
        List<Path> temps = all(missing, this::writeTemp);
        for (int i = 0; i < missing.size(); i++) {
            // rename(2) replaces a copy another writer landed meanwhile: same id, same content.
            Files.move(temps.get(i), fileOf(missing.get(i)), StandardCopyOption.ATOMIC_MOVE);
        }
        pending.clear();
        types.clear();
    }

    @Override
    public PackParser newPackParser(InputStream in) {
        throw new UnsupportedOperationException("state commits are written as loose objects");
    }

    @Override
    public ObjectReader newReader() {
        return repository.newObjectReader();
    }

    @Override
    public void close() {
        pending.clear();
        types.clear();
    }

    private Path fileOf(ObjectId id) {
        String name = id.name();
        return objects.resolve(name.substring(0, 2)).resolve(name.substring(2));
    }

    /** Writes the object's loose form (zlib of "type size\0content") to a temp file and forces it to disk. */
    private Path writeTemp(ObjectId id) throws IOException {
        Path temp = objects.resolve("tmp_obj_" + UUID.randomUUID());
        byte[] content = pending.get(id);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(content.length / 2 + 64);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DeflaterOutputStream out = new DeflaterOutputStream(compressed, deflater)) {
            out.write(Constants.encodedTypeString(types.get(id)));
            out.write((" " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
            out.write(content);
        } finally {
            deflater.end();
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(compressed.toByteArray());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        return temp;
    }

    /** Best effort: not every platform can open a folder to fsync it. */
    static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // nothing more we can do on this platform
        }
    }

    private interface IoTask<T, R> {
        R run(T input) throws IOException;
    }

    /** Runs {@code task} on every input at once on the I/O pool; returns the results in input order. */
    private <T, R> List<R> all(List<T> inputs, IoTask<T, R> task) throws IOException {
        List<CompletableFuture<R>> futures = new ArrayList<>();
        for (T input : inputs) {
            futures.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return task.run(input);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, io));
        }
        List<R> results = new ArrayList<>();
        IOException failure = null;
        for (CompletableFuture<R> future : futures) {
            try {
                results.add(future.join());
            } catch (CompletionException e) {
                Throwable cause = e.getCause() instanceof UncheckedIOException io ? io.getCause() : e.getCause();
                if (failure == null) {
                    failure = cause instanceof IOException ioe ? ioe : new IOException(cause);
                }
                results.add(null);
            }
        }
        if (failure != null) {
            for (R result : results) {
                if (result instanceof Path temp && temp.getFileName().toString().startsWith("tmp_obj_")) {
                    Files.deleteIfExists(temp);
                }
            }
            throw failure;
        }
        return results;
    }
}
