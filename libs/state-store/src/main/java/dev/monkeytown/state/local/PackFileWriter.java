package dev.monkeytown.state.local;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import org.eclipse.jgit.internal.storage.file.BasePackIndexWriter;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.PackedObjectInfo;

/**
 * Writes one pack file and its version-2 index into {@code objects/pack}, durably: both are written under temp names,
 * fsynced (the two at once), renamed into place (pack first: Git and JGit only look for packs through their
 * {@code .idx}), and then the pack folder is fsynced. Any number of objects thus costs two rounds of fsync, and a
 * pack never appears under its name before its content is on disk.
 * <p>
 * The pack is named by its trailing checksum, as Git does. Writing the same pack twice (same objects, same order)
 * gives the same name and the same bytes, so the second rename replaces a file with an identical one.
 */
final class PackFileWriter implements Closeable {

    private final Path packDirectory;
    private final Executor io;
    private final Disk disk;
    private final int objectCount;
    private final Path tempPack;
    private final Path tempIndex;
    private final FileChannel channel;
    private final CountingStream counter;
    private final DigestOutputStream out;
    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    private final byte[] buffer = new byte[16 * 1024];
    private final List<PackedObjectInfo> entries = new ArrayList<>();
    private boolean finished;

    /** Starts a pack that will hold exactly {@code objectCount} objects. */
    PackFileWriter(Path packDirectory, Executor io, Disk disk, int objectCount) throws IOException {
        this.packDirectory = packDirectory;
        this.io = io;
        this.disk = disk;
        this.objectCount = objectCount;
        disk.createFolders(packDirectory);
        String unique = UUID.randomUUID().toString();
        // Git's own names for temp packs, which git gc cleans up if a crash leaves them behind.
        this.tempPack = packDirectory.resolve("tmp_pack_" + unique);
        this.tempIndex = packDirectory.resolve("tmp_idx_" + unique);
        this.channel = FileChannel.open(tempPack, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.counter = new CountingStream(new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024));
        this.out = new DigestOutputStream(counter, sha1());
        byte[] header = {'P', 'A', 'C', 'K', 0, 0, 0, 2, 0, 0, 0, 0};
        putInt(header, 8, objectCount);
        out.write(header);
    }

    /** Appends one whole (undeltified) object. */
    void add(ObjectId id, int type, byte[] content) throws IOException {
        if (entries.size() == objectCount) {
            throw new IllegalStateException("pack was started for " + objectCount + " objects");
        }
        PackedObjectInfo entry = new PackedObjectInfo(id);
        entry.setType(type);
        entry.setOffset(counter.count);
        CRC32 crc = new CRC32();
        byte[] header = new byte[10];
        int length = objectHeader(header, type, content.length);
        out.write(header, 0, length);
        crc.update(header, 0, length);
        deflater.reset();
        deflater.setInput(content);
        deflater.finish();
        while (!deflater.finished()) {
            int n = deflater.deflate(buffer);
            out.write(buffer, 0, n);
            crc.update(buffer, 0, n);
        }
        entry.setCRC((int) crc.getValue());
        entries.add(entry);
    }

    /**
     * Finishes the pack, makes pack and index durable and moves them into place.
     *
     * @return the {@code pack-<checksum>.pack} file
     */
    Path finish() throws IOException {
        if (entries.size() != objectCount) {
            throw new IllegalStateException("pack holds " + entries.size() + " of " + objectCount + " objects");
        }
        out.flush();
        byte[] checksum = out.getMessageDigest().digest();
        counter.write(checksum);
        counter.flush();
        CompletableFuture<Void> packOnDisk = CompletableFuture.runAsync(() -> force(channel, tempPack), io);
        Collections.sort(entries);
        try (FileChannel index = FileChannel.open(tempIndex, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream indexOut = new BufferedOutputStream(Channels.newOutputStream(index), 64 * 1024);
            BasePackIndexWriter.createVersion(indexOut, 2).write(entries, checksum);
            indexOut.flush();
            disk.force(index, tempIndex);
        } finally {
            join(packOnDisk);
        }
        channel.close();
        String name = "pack-" + ObjectId.fromRaw(checksum).name();
        Path pack = packDirectory.resolve(name + ".pack");
        disk.rename(tempPack, pack);
        disk.rename(tempIndex, packDirectory.resolve(name + ".idx"));
        finished = true;
        disk.syncFolder(packDirectory);
        return pack;
    }

    /** Drops the temp files of a pack that was not finished. */
    @Override
    public void close() throws IOException {
        deflater.end();
        channel.close();
        if (!finished) {
            Files.deleteIfExists(tempPack);
            Files.deleteIfExists(tempIndex);
        }
    }

    /** Pack entry header: type and size, 4 bits of size in the first byte, then 7 bits a byte, low bits first. */
    private static int objectHeader(byte[] header, int type, long size) {
        int n = 0;
        int first = (type << 4) | (int) (size & 0x0f);
        size >>>= 4;
        while (size != 0) {
            header[n++] = (byte) (first | 0x80);
            first = (int) (size & 0x7f);
            size >>>= 7;
        }
        header[n++] = (byte) first;
        return n;
    }

    private static void putInt(byte[] target, int offset, int value) {
        target[offset] = (byte) (value >>> 24);
        target[offset + 1] = (byte) (value >>> 16);
        target[offset + 2] = (byte) (value >>> 8);
        target[offset + 3] = (byte) value;
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-1", e);
        }
    }

    private void force(FileChannel channel, Path file) {
        try {
            disk.force(channel, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void join(CompletableFuture<Void> future) throws IOException {
        try {
            future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof UncheckedIOException io ? io.getCause() : new IOException(e.getCause());
        }
    }

    /** Counts bytes written, for the offsets the index records. */
    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
