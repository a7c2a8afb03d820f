package dev.monkeytown.artifact.registry;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import dev.monkeytown.artifact.ArtifactConfig;
import dev.monkeytown.artifact.access.Permission;
import dev.monkeytown.artifact.catalog.Catalog;
import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.RepositoryName;
import dev.monkeytown.artifact.storage.BlobIntake;
import dev.monkeytown.artifact.storage.BlobTooLargeException;
import dev.monkeytown.artifact.storage.DigestMismatchException;
import dev.monkeytown.artifact.storage.QuotaExceededException;
import dev.monkeytown.artifact.storage.SpoolFile;
import dev.monkeytown.artifact.storage.SpoolFullException;
import dev.monkeytown.artifact.storage.SpooledBlob;
import dev.monkeytown.artifact.upload.UploadSession;
import dev.monkeytown.artifact.upload.UploadSessions;

/**
 * Pushing blobs, every way the spec allows: monolithic ({@code POST ?digest=}), streamed ({@code POST}, one
 * {@code PATCH}, {@code PUT ?digest=}), chunked ({@code PATCH} with {@code Content-Range}, in order), the last chunk with
 * the {@code PUT}, cross-repository mount ({@code POST ?mount=&from=}), status ({@code GET}) and cancel
 * ({@code DELETE}). Bytes go straight to a spool file while they are hashed.
 */
@Singleton
public class UploadEndpoints {

    private final UploadSessions sessions;
    private final BlobIntake intake;
    private final Catalog catalog;
    private final BlobEndpoints blobs;
    private final ArtifactConfig config;

    UploadEndpoints(UploadSessions sessions, BlobIntake intake, Catalog catalog, BlobEndpoints blobs,
            ArtifactConfig config) {
        this.config = config;
        this.sessions = sessions;
        this.intake = intake;
        this.catalog = catalog;
        this.blobs = blobs;
    }

    Response start(RepositoryName name, RegistryRequest request) throws IOException {
        request.caller().require(Permission.PUSH, name.value());
        catalog.requireLoaded();
        Optional<String> mount = request.param("mount");
        if (mount.isPresent()) {
            Optional<Response> mounted = mount(name, mount.get(), request.param("from"), request);
            if (mounted.isPresent()) {
                return mounted.get();
            }
        }
        refuseOversizedDeclaration(request);
        UploadSession session = sessions.start(name, request.caller().user()).orElseThrow(
                () -> new RegistryException(ErrorCode.TOOMANYREQUESTS, 429,
                        "too many uploads are in progress; retry later", Map.of("Retry-After", "10")));
        Optional<String> digest = request.param("digest");
        if (digest.isPresent() && mount.isEmpty()) {
            // monolithic: the whole blob in this one request; refused, nothing of it is left for a client to go on with
            try {
                return withSession(session, () -> finish(session, name, digest.get(), request));
            } catch (IOException | RuntimeException e) {
                sessions.end(session, true);
                throw e;
            }
        }
        return accepted(session, 202);
    }

    /**
     * Links {@code digest} from repository {@code from} if the caller may pull there and it holds the blob; otherwise
     * the spec says to fall back to an ordinary upload (202).
     */
    private Optional<Response> mount(RepositoryName name, String digestText, Optional<String> from,
            RegistryRequest request) {
        Digest digest = BlobEndpoints.digest(digestText);
        if (blobs.linked(name, digest)) {
            return Optional.of(RegistryResponses.blobCreated(name, digest));
        }
        Optional<RepositoryName> source = from.flatMap(RepositoryName::parse);
        if (source.isEmpty() || !request.caller().mayPull(source.get().value())) {
            return Optional.empty();
        }
        Optional<Long> size = catalog.repository(source.get()).flatMap(r -> r.blob(digest)).map(l -> l.size());
        if (size.isEmpty()) {
            return Optional.empty();
        }
        intake.mount(digest, size.get(), name, request.caller().user());
        return Optional.of(RegistryResponses.blobCreated(name, digest));
    }

    Response status(RepositoryName name, String id, RegistryRequest request) {
        request.caller().require(Permission.PUSH, name.value());
        UploadSession session = session(name, id);
        return Response.status(204).header("Location", RegistryResponses.uploadLocation(name, id))
                .header("Range", RegistryResponses.receivedRange(session.spool().size()))
                .header(RegistryResponses.UPLOAD_UUID, id).build();
    }

    Response patch(RepositoryName name, String id, RegistryRequest request) throws IOException {
        request.caller().require(Permission.PUSH, name.value());
        UploadSession session = session(name, id);
        return withSession(session, () -> {
            appendChunk(session, name, request);
            return accepted(session, 202);
        });
    }

    Response put(RepositoryName name, String id, RegistryRequest request) throws IOException {
        request.caller().require(Permission.PUSH, name.value());
        UploadSession session = session(name, id);
        String digest = request.param("digest").orElseThrow(() -> new RegistryException(ErrorCode.DIGEST_INVALID,
                "the final PUT of an upload needs ?digest=sha256:<hex>"));
        return withSession(session, () -> finish(session, name, digest, request));
    }

    Response cancel(RepositoryName name, String id, RegistryRequest request) {
        request.caller().require(Permission.PUSH, name.value());
        UploadSession session = session(name, id);
        if (!session.tryLock()) {
            throw busy(session);
        }
        try {
            if (session.closed()) {
                throw unknownUpload(name, id);
            }
            sessions.end(session, true);
        } finally {
            session.unlock();
        }
        return Response.status(204).build();
    }

    /** Appends the body, checking {@code Content-Range} (if sent) against where the upload is. */
    private void appendChunk(UploadSession session, RepositoryName name, RegistryRequest request) throws IOException {
        Optional<String> rangeHeader = request.header("Content-Range");
        long offset = session.spool().size();
        long expected = -1;
        if (rangeHeader.isPresent()) {
            ChunkRange range = ChunkRange.parse(rangeHeader.get()).orElseThrow(() -> notSatisfiable(session, name,
                    offset, "Content-Range must be <first byte>-<last byte> in digits, first <= last, was '"
                            + rangeHeader.get() + "'"));
            if (range.first() != offset) {
                throw notSatisfiable(session, name, offset, "chunk " + range.first() + "-" + range.last()
                        + " is out of order: the upload has " + offset + " bytes");
            }
            if (range.last() >= session.spool().limit()) {
                throw notSatisfiable(session, name, offset, "chunk " + range.first() + "-" + range.last()
                        + " ends past the registry's blob limit of " + session.spool().limit() + " bytes");
            }
            expected = range.length();
            Optional<Long> declared = request.contentLength();
            if (declared.isPresent() && declared.get() != expected) {
                throw new RegistryException(ErrorCode.SIZE_INVALID, 400, "Content-Length " + declared.get()
                        + " does not match Content-Range " + rangeHeader.get());
            }
        }
        refuseOversized(session, request);
        Optional<Long> declared = request.contentLength();
        if (declared.isPresent()) {
            try {
                session.spool().reserveAhead(declared.get());
            } catch (SpoolFullException e) {
                // nothing of the chunk was read: the upload stays where it is, for the client to retry the chunk
                throw spoolFull(e.getMessage(), Map.of("Location", RegistryResponses.uploadLocation(name,
                        session.id()), "Range", RegistryResponses.receivedRange(offset),
                        RegistryResponses.UPLOAD_UUID, session.id()));
            }
        }
        long written;
        try {
            written = session.spool().append(request.body());
        } catch (BlobTooLargeException e) {
            sessions.end(session, true);
            throw tooLarge(e.limit());
        } catch (SpoolFullException e) {
            // a body of undeclared length ran past the budget: what it wrote cannot be taken back out of the hash
            sessions.end(session, true);
            throw spoolFull(e.getMessage() + "; the upload was cancelled, start it again", Map.of());
        }
        if (expected >= 0 && written != expected) {
            // the bytes are in the spool now and cannot be taken back: the upload is spoilt, not just this chunk
            sessions.end(session, true);
            throw new RegistryException(ErrorCode.SIZE_INVALID, 400, "the chunk carried " + written
                    + " bytes but Content-Range announced " + expected + "; the upload was cancelled, start again");
        }
    }

    private Response finish(UploadSession session, RepositoryName name, String digestText, RegistryRequest request)
            throws IOException {
        Digest claimed;
        try {
            claimed = BlobEndpoints.digest(digestText);
        } catch (RegistryException e) {
            sessions.end(session, true);
            throw e;
        }
        appendChunk(session, name, request);
        SpooledBlob blob = session.spool().finish();
        sessions.end(session, false);
        try {
            intake.accept(blob, claimed, name, request.caller().user()); // deletes the spool file whatever happens
        } catch (DigestMismatchException e) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, e.getMessage());
        } catch (QuotaExceededException e) {
            throw new RegistryException(ErrorCode.DENIED, 403, e.getMessage());
        }
        return RegistryResponses.blobCreated(name, claimed);
    }

    private void refuseOversizedDeclaration(RegistryRequest request) {
        long limit = config.maxBlobSize().asLongValue();
        request.contentLength().filter(length -> length > limit).ifPresent(length -> {
            throw tooLarge(limit);
        });
    }

    private void refuseOversized(UploadSession session, RegistryRequest request) {
        long limit = session.spool().limit();
        Optional<Long> declared = request.contentLength();
        if (declared.isPresent() && session.spool().size() + declared.get() > limit) {
            sessions.end(session, true);
            throw tooLarge(limit);
        }
    }

    /**
     * A chunk the upload cannot take where it is: the spec's 416, with where the upload stands so the client can go
     * on from there. Nothing of the chunk was read, so the upload itself is unharmed.
     */
    private static RegistryException notSatisfiable(UploadSession session, RepositoryName name, long offset,
            String detail) {
        return new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, 416, detail,
                Map.of("Location", RegistryResponses.uploadLocation(name, session.id()), "Range",
                        RegistryResponses.receivedRange(offset), RegistryResponses.UPLOAD_UUID, session.id()));
    }

    /**
     * The spool budget is held by other uploads: a temporary state of the registry, not of this client's request, so
     * 503 with {@code Retry-After} (RFC 9110's "temporary overload"; Docker's registry answers 503 as
     * {@code UNAVAILABLE}) rather than 429, which says this client sent too many requests.
     */
    private static RegistryException spoolFull(String detail, Map<String, String> headers) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Retry-After", SpoolFullException.RETRY_AFTER_SECONDS);
        return new RegistryException(ErrorCode.UNAVAILABLE, 503, detail, all);
    }

    private static RegistryException tooLarge(long limit) {
        return new RegistryException(ErrorCode.SIZE_INVALID, 413,
                "the blob exceeds the registry's limit of " + limit + " bytes (the spec's Git LFS file limit);"
                        + " nothing was stored");
    }

    private UploadSession session(RepositoryName name, String id) {
        return sessions.find(name, id).orElseThrow(() -> unknownUpload(name, id));
    }

    private static RegistryException unknownUpload(RepositoryName name, String id) {
        return new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN,
                "no upload " + id + " is in progress for " + name + " (finished, cancelled or expired)");
    }

    private Response accepted(UploadSession session, int status) {
        return Response.status(status).header("Location", RegistryResponses.uploadLocation(session.repository(),
                session.id())).header("Range", RegistryResponses.receivedRange(session.spool().size()))
                .header(RegistryResponses.UPLOAD_UUID, session.id()).header("Content-Length", 0).build();
    }

    /** A cancel while a chunk is being written: the upload is busy, not gone; try again once the chunk is in. */
    private static RegistryException busy(UploadSession session) {
        return new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, 409,
                "another request is writing upload " + session.id() + " right now");
    }

    /**
     * A chunk arriving while another request is writing the same upload: it cannot start where the upload will be,
     * which is the spec's out-of-order chunk (416 {@code BLOB_UPLOAD_INVALID}, with where the upload stands now).
     * Nothing of it is read; the other request's chunk goes on unharmed.
     */
    private static RegistryException concurrentChunk(UploadSession session) {
        return notSatisfiable(session, session.repository(), session.spool().size(), "another request is writing"
                + " upload " + session.id() + " right now; send the chunk again from the upload's Range once that"
                + " request is answered");
    }

    @FunctionalInterface
    private interface SessionWork {
        Response run() throws IOException;
    }

    private Response withSession(UploadSession session, SessionWork work) throws IOException {
        if (!session.tryLock()) {
            throw concurrentChunk(session);
        }
        try {
            if (session.closed()) {
                // finished or cancelled by the request that held the lock a moment ago
                throw unknownUpload(session.repository(), session.id());
            }
            return work.run();
        } catch (SpoolFile.ConcurrentWriteException e) {
            throw concurrentChunk(session);
        } catch (IOException | RuntimeException e) {
            if (!(e instanceof RegistryException)) {
                // a broken connection or a failed store: the spool is in an unknown state, so the upload ends here
                sessions.end(session, true);
            }
            throw e;
        } finally {
            session.unlock();
        }
    }
}
