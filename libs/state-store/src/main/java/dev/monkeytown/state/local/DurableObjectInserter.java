package dev.monkeytown.state.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PackParser;

/**
 * Writes all new objects of one commit as one pack file, so a commit costs the same few fsyncs however many documents
 * and folders it touches.
 * <p>
 * JGit's own inserter ({@code core.fsyncObjectFiles}) fsyncs each loose object before writing the next, and even
 * loose objects fsynced in parallel cost one flush each; a group commit of 40 documents then saved little over a
 * commit per change. {@link #flush()} hands the buffered objects to {@link PackFileWriter}: pack and index under temp
 * names, both fsynced, renamed into {@code objects/pack}, pack folder fsynced. Content is thus on disk before any
 * object can be found under its id: a crash can leave {@code objects/pack/tmp_*} garbage (Git's names, which
 * {@code git gc} removes) but never a truncated pack that a later commit would trust.
 * <p>
 * JGit's {@code PackInserter} would write the same pack but fsyncs neither the pack nor its index, and renames them
 * into place first, so it is not used. Packs pile up one per commit; {@link PackConsolidator} merges them.
 * <p>
 * Objects are buffered until {@link #flush()}; {@link #newReader()} does not see them before that. Objects already in
 * the repository are not looked up: the tree editor only writes changed folders and documents, and a duplicate in a
 * pack costs a few bytes, while a lookup of a missing id makes JGit rescan the pack folder.
 */
final class DurableObjectInserter extends ObjectInserter {

    private final Repository repository;
    private final Path packDirectory;
    private final Executor io;
    private final Disk disk;
    private final Map<ObjectId, byte[]> pending = new LinkedHashMap<>();
    private final Map<ObjectId, Integer> types = new LinkedHashMap<>();

    DurableObjectInserter(Repository repository, Executor io, Disk disk) {
        this.repository = repository;
        this.packDirectory = repository.getDirectory().toPath().resolve(Constants.OBJECTS).resolve("pack");
        this.io = io;
        this.disk = disk;
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
        if (pending.isEmpty()) {
            return;
        }
        try (PackFileWriter writer = new PackFileWriter(packDirectory, io, disk, pending.size())) {
            for (Map.Entry<ObjectId, byte[]> object : pending.entrySet()) {
                writer.add(object.getKey(), types.get(object.getKey()), object.getValue());
            }
            writer.finish();
        }
        pending.clear();
        types.clear();
    }

    @Override
    public PackParser newPackParser(InputStream in) {
        throw new UnsupportedOperationException("state commits are written by this inserter");
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

}
