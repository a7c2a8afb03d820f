package dev.monkeytown.artifact.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.PathPart;

import dev.monkeytown.artifact.ArtifactConfig;
import dev.monkeytown.artifact.access.Caller;
import dev.monkeytown.artifact.access.Permission;
import dev.monkeytown.artifact.api.ArtifactViews.ArtifactList;
import dev.monkeytown.artifact.api.ArtifactViews.ArtifactView;
import dev.monkeytown.artifact.api.ArtifactViews.RepositoryList;
import dev.monkeytown.artifact.api.ArtifactViews.RepositoryView;
import dev.monkeytown.artifact.api.ArtifactViews.StorageView;
import dev.monkeytown.artifact.catalog.Catalog;
import dev.monkeytown.artifact.catalog.ManifestRecord;
import dev.monkeytown.artifact.catalog.ManifestStore;
import dev.monkeytown.artifact.catalog.PullLog;
import dev.monkeytown.artifact.catalog.PullRecord;
import dev.monkeytown.artifact.catalog.RepositoryEntry;
import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.RepositoryName;
import dev.monkeytown.artifact.retention.GarbageCollector;
import dev.monkeytown.artifact.storage.BlobContent;
import dev.monkeytown.artifact.storage.BlobStore;
import dev.monkeytown.artifact.storage.StorageGauges;
import dev.monkeytown.artifact.storage.StorageMetrics;

/**
 * {@code /api/v1/artifacts}: the registry for people and the other services. The same rules as on {@code /v2/}: a
 * listing shows what its caller may pull (nothing to anonymous callers, whatever the gateway lets through; a scoped
 * token only its repositories), downloads need pull and uploads push.
 */
@Path("/api/v1/artifacts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "artifacts")
public class ArtifactsResource {

    private final Catalog catalog;
    private final PullLog pulls;
    private final BlobStore store;
    private final ManifestStore manifests;
    private final SingleFileUpload upload;
    private final GarbageCollector gc;
    private final StorageMetrics metrics;
    private final ArtifactConfig config;

    ArtifactsResource(Catalog catalog, PullLog pulls, BlobStore store, ManifestStore manifests,
            SingleFileUpload upload, GarbageCollector gc, StorageMetrics metrics, ArtifactConfig config) {
        this.catalog = catalog;
        this.pulls = pulls;
        this.store = store;
        this.manifests = manifests;
        this.upload = upload;
        this.gc = gc;
        this.metrics = metrics;
        this.config = config;
    }

    @GET
    @Operation(summary = "Repositories with their artifact count, tags and size, and the registry's storage")
    public RepositoryList repositories(@Context HttpHeaders headers) {
        Caller caller = Caller.from(headers);
        caller.require(Permission.PULL);
        catalog.requireLoaded();
        List<RepositoryView> views = new ArrayList<>();
        for (RepositoryEntry repository : catalog.repositories()) {
            if (!caller.mayPull(repository.name().value()) || repository.manifests().isEmpty()) {
                continue;
            }
            Set<Digest> blobs = new HashSet<>(repository.blobs().keySet());
            long bytes = blobs.stream().mapToLong(d -> repository.blob(d).map(l -> l.size()).orElse(0L)).sum()
                    + repository.manifests().stream().mapToLong(ManifestRecord::size).sum();
            views.add(new RepositoryView(repository.name().value(), repository.manifests().size(),
                    repository.tags().size(), bytes, repository.manifests().stream().map(ManifestRecord::pushedAt)
                            .max(Comparator.naturalOrder()).orElse(null)));
        }
        return new RepositoryList(views, storage(caller));
    }

    /**
     * The registry's storage for an unscoped caller; for a token limited to some repositories, only what those
     * repositories link: registry-wide figures would tell it how much the others store.
     */
    private StorageView storage(Caller caller) {
        long quota = config.quota().asLongValue();
        if (caller.scope().patterns().isEmpty()) {
            long used = catalog.usedBytes();
            return new StorageView("registry", used, catalog.usedObjects(), quota, share(used, quota),
                    level(used), gc.reclaimableBytes(), store.describe());
        }
        Map<Digest, Long> linked = new java.util.HashMap<>();
        for (RepositoryEntry repository : catalog.repositories()) {
            if (caller.mayPull(repository.name().value())) {
                repository.blobs().forEach((digest, link) -> linked.put(digest, link.size()));
            }
        }
        long used = linked.values().stream().mapToLong(Long::longValue).sum();
        return new StorageView("repositories", used, linked.size(), quota, share(used, quota), level(used), 0,
                store.describe());
    }

    private static double share(long used, long quota) {
        return quota == 0 ? 0 : (double) used / quota;
    }

    private String level(long used) {
        return switch (StorageGauges.level(used, config)) {
            case 2 -> "critical";
            case 1 -> "warning";
            default -> "ok";
        };
    }

    @GET
    @Path("/manifests")
    @Operation(summary = "The artifacts of one repository: digest, size, tags, who pushed, pull counts")
    public ArtifactList artifacts(@QueryParam("repository") String repositoryName, @Context HttpHeaders headers) {
        RepositoryName name = repositoryName(repositoryName);
        Caller.from(headers).require(Permission.PULL, name.value());
        catalog.requireLoaded();
        RepositoryEntry repository = catalog.repository(name)
                .orElseThrow(() -> new NotFoundException("no repository " + name));
        List<ArtifactView> views = new ArrayList<>();
        for (ManifestRecord m : repository.manifests()) {
            PullRecord pulled = repository.pulls(m.digest()).plus(pulls.pending(name, m.digest()));
            long size = m.size() + m.references().stream().mapToLong(d -> d.size()).sum();
            views.add(new ArtifactView(name.value(), m.digest().toString(), m.mediaType(), m.artifactType(), size,
                    repository.tagsOf(m.digest()), m.pushedAt(), m.pushedBy(), pulled.count(), pulled.last(),
                    m.subject() == null ? null : m.subject().digest().toString(), m.annotations()));
        }
        views.sort(Comparator.comparing(ArtifactView::pushedAt).reversed());
        return new ArtifactList(name.value(), views);
    }

    @POST
    @Operation(summary = "Upload one file as an OCI artifact (artifactType, annotations, tag) in one streamed call")
    public Response upload(@QueryParam("repository") String repositoryName, @QueryParam("tag") String tag,
            @QueryParam("artifactType") String artifactType, @QueryParam("annotation") List<String> annotations,
            @QueryParam("filename") String filename, @Context HttpHeaders headers, InputStream body)
            throws IOException {
        Caller caller = Caller.from(headers);
        RepositoryName name = repositoryName(repositoryName);
        caller.require(Permission.PUSH, name.value());
        ArtifactViews.Uploaded uploaded = upload.upload(name, Optional.ofNullable(tag), artifactType,
                annotations(annotations), Optional.ofNullable(filename), headers.getMediaType(), declaredLength(headers),
                body, caller);
        return Response.status(201).header("Location", uploaded.location()).entity(uploaded).build();
    }

    @GET
    @Path("/{digest}/content")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    @Operation(summary = "Download a blob or manifest by digest from a repository (authenticated: no anonymous pull)")
    public Response download(@PathParam("digest") String digestText, @QueryParam("repository") String repositoryName,
            @Context HttpHeaders headers) throws IOException {
        Caller caller = Caller.from(headers);
        RepositoryName name = repositoryName(repositoryName);
        caller.require(Permission.PULL, name.value());
        catalog.requireLoaded();
        Digest digest = Digest.parse(digestText)
                .orElseThrow(() -> new BadRequestException("not a sha256 digest: " + digestText));
        RepositoryEntry repository = catalog.repository(name)
                .orElseThrow(() -> new NotFoundException("no repository " + name));
        Optional<ManifestRecord> manifest = repository.manifest(digest);
        if (manifest.isPresent()) {
            pulls.pulled(name, digest);
            return Response.ok(manifests.body(name, digest), manifest.get().mediaType()).build();
        }
        long size = repository.blob(digest).map(l -> l.size())
                .orElseThrow(() -> new NotFoundException("repository " + name + " has no blob or manifest " + digest));
        BlobContent content = store.open(digest, size, 0, size);
        metrics.pulled(size);
        Response.ResponseBuilder response = Response.ok().type(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Docker-Content-Digest", digest);
        if (content instanceof BlobContent.LocalFile local) {
            return response.entity(new PathPart(local.file(), 0, size)).build();
        }
        InputStream stream = ((BlobContent.Streamed) content).stream();
        StreamingOutput out = sink -> {
            try (stream) {
                stream.transferTo(sink);
            }
        };
        return response.header(HttpHeaders.CONTENT_LENGTH, size).entity(out).build();
    }

    private static Optional<Long> declaredLength(HttpHeaders headers) {
        try {
            return Optional.ofNullable(headers.getHeaderString(HttpHeaders.CONTENT_LENGTH)).map(String::trim)
                    .map(Long::parseLong).filter(n -> n >= 0);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static RepositoryName repositoryName(String value) {
        if (value == null) {
            throw new BadRequestException("repository is required, e.g. ?repository=builds/web");
        }
        return RepositoryName.parse(value).orElseThrow(() -> new BadRequestException("repository '" + value
                + "' is not a repository name: lower-case components separated by '/'"));
    }

    private static Map<String, String> annotations(List<String> pairs) {
        Map<String, String> annotations = new LinkedHashMap<>();
        for (String pair : pairs == null ? List.<String>of() : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new BadRequestException("annotation must be key=value, was '" + pair + "'");
            }
            annotations.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return annotations;
    }
}
