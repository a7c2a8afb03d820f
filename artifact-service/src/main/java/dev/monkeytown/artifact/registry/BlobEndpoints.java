package dev.monkeytown.artifact.registry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

import jakarta.inject.Singleton;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.jboss.resteasy.reactive.PathPart;

import dev.monkeytown.artifact.access.Permission;
import dev.monkeytown.artifact.catalog.Catalog;
import dev.monkeytown.artifact.catalog.CatalogWriter;
import dev.monkeytown.artifact.catalog.RegistryChanges;
import dev.monkeytown.artifact.catalog.RepositoryEntry;
import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.RepositoryName;
import dev.monkeytown.artifact.storage.BlobContent;
import dev.monkeytown.artifact.storage.BlobStore;
import dev.monkeytown.artifact.storage.StorageMetrics;
import dev.monkeytown.state.Actor;

/**
 * {@code GET|HEAD|DELETE /v2/<name>/blobs/<digest>}. Downloads stream: a local object goes out with sendfile, a GitHub
 * one is piped from the LFS download as it arrives; neither is ever held in memory.
 */
@Singleton
public class BlobEndpoints {

    private final Catalog catalog;
    private final CatalogWriter writer;
    private final BlobStore store;
    private final StorageMetrics metrics;

    BlobEndpoints(Catalog catalog, CatalogWriter writer, BlobStore store, StorageMetrics metrics) {
        this.catalog = catalog;
        this.writer = writer;
        this.store = store;
        this.metrics = metrics;
    }

    Response get(RepositoryName name, String digestText, RegistryRequest request, boolean head) throws IOException {
        request.caller().require(Permission.PULL, name.value());
        Digest digest = digest(digestText);
        long size = linkedSize(name, digest);
        Optional<ByteRange> range;
        try {
            range = ByteRange.parse(request.headers().getHeaderString("Range"), size);
        } catch (ByteRange.Unsatisfiable e) {
            return Response.status(416).header("Content-Range", "bytes */" + size)
                    .header(RegistryResponses.DIGEST_HEADER, digest).build();
        }
        long first = range.map(ByteRange::first).orElse(0L);
        long length = range.map(ByteRange::length).orElse(size);
        Response.ResponseBuilder response = Response.status(range.isPresent() ? 206 : 200)
                .header(RegistryResponses.DIGEST_HEADER, digest).header("Accept-Ranges", "bytes")
                .header(HttpHeaders.CONTENT_TYPE, "application/octet-stream");
        range.ifPresent(r -> response.header("Content-Range", "bytes " + r.first() + "-" + r.last() + "/" + size));
        if (head) {
            return response.header(HttpHeaders.CONTENT_LENGTH, length).build();
        }
        BlobContent content = store.open(digest, size, first, length);
        metrics.pulled(length);
        if (content instanceof BlobContent.LocalFile local) {
            return response.entity(new PathPart(local.file(), first, length)).build();
        }
        InputStream stream = ((BlobContent.Streamed) content).stream();
        StreamingOutput body = out -> {
            try (stream) {
                stream.transferTo(out);
            }
        };
        return response.header(HttpHeaders.CONTENT_LENGTH, length).entity(body).build();
    }

    Response delete(RepositoryName name, String digestText, RegistryRequest request) {
        request.caller().require(Permission.DELETE, name.value());
        Digest digest = digest(digestText);
        writer.apply("delete blob " + digest + " from " + name, Actor.user(request.caller().user()),
                RegistryChanges.unlinkBlob(name, digest));
        return Response.status(202).build();
    }

    /** The blob's size if {@code name} links it; the spec scopes blobs by repository. */
    long linkedSize(RepositoryName name, Digest digest) {
        catalog.requireLoaded();
        return catalog.repository(name).flatMap(r -> r.blob(digest)).map(link -> link.size())
                .orElseThrow(() -> new RegistryException(ErrorCode.BLOB_UNKNOWN,
                        "repository " + name + " has no blob " + digest));
    }

    boolean linked(RepositoryName name, Digest digest) {
        return catalog.repository(name).map(RepositoryEntry::blobs).map(b -> b.containsKey(digest)).orElse(false);
    }

    static Digest digest(String text) {
        return Digest.parse(text).orElseThrow(() -> Digest.looksLikeDigest(text)
                ? new RegistryException(ErrorCode.DIGEST_INVALID, "only sha256 digests are supported, got " + text)
                : new RegistryException(ErrorCode.DIGEST_INVALID, "not a digest: " + text));
    }
}
