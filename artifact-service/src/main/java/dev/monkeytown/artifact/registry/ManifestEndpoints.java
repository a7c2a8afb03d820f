package dev.monkeytown.artifact.registry;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Optional;

import jakarta.inject.Singleton;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import dev.monkeytown.artifact.ArtifactConfig;
import dev.monkeytown.artifact.access.Permission;
import dev.monkeytown.artifact.catalog.Catalog;
import dev.monkeytown.artifact.catalog.CatalogWriter;
import dev.monkeytown.artifact.catalog.ManifestGuard;
import dev.monkeytown.artifact.catalog.ManifestRecord;
import dev.monkeytown.artifact.catalog.ManifestStore;
import dev.monkeytown.artifact.catalog.PullLog;
import dev.monkeytown.artifact.catalog.RegistryChanges;
import dev.monkeytown.artifact.catalog.RepositoryEntry;
import dev.monkeytown.artifact.catalog.TagRules;
import dev.monkeytown.artifact.events.ArtifactEvents;
import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.InvalidManifestException;
import dev.monkeytown.artifact.oci.Manifest;
import dev.monkeytown.artifact.oci.RepositoryName;
import dev.monkeytown.artifact.oci.Tag;
import dev.monkeytown.state.Actor;

/** {@code GET|HEAD|PUT|DELETE /v2/<name>/manifests/<reference>}, by tag or by digest. */
@Singleton
public class ManifestEndpoints {

    private final Catalog catalog;
    private final CatalogWriter writer;
    private final ManifestStore manifests;
    private final PullLog pulls;
    private final TagRules tagRules;
    private final ArtifactEvents events;
    private final ArtifactConfig config;
    private final Clock clock = Clock.systemUTC();

    ManifestEndpoints(Catalog catalog, CatalogWriter writer, ManifestStore manifests, PullLog pulls,
            TagRules tagRules, ArtifactEvents events, ArtifactConfig config) {
        this.catalog = catalog;
        this.writer = writer;
        this.manifests = manifests;
        this.pulls = pulls;
        this.tagRules = tagRules;
        this.events = events;
        this.config = config;
    }

    Response get(RepositoryName name, String reference, RegistryRequest request, boolean head) {
        request.caller().require(Permission.PULL, name.value());
        ManifestRecord record = resolve(name, reference);
        Response.ResponseBuilder response = Response.ok().header(HttpHeaders.CONTENT_TYPE, record.mediaType())
                .header(RegistryResponses.DIGEST_HEADER, record.digest());
        if (head) {
            return response.header(HttpHeaders.CONTENT_LENGTH, record.size()).build();
        }
        byte[] body = manifests.body(name, record.digest());
        pulls.pulled(name, record.digest());
        return response.entity(body).build();
    }

    Response put(RepositoryName name, String reference, RegistryRequest request) throws IOException {
        request.caller().require(Permission.PUSH, name.value());
        Optional<String> tag = Optional.empty();
        Optional<Digest> named = Digest.parse(reference);
        if (named.isEmpty()) {
            if (Digest.looksLikeDigest(reference)) {
                throw new RegistryException(ErrorCode.DIGEST_INVALID,
                        "only sha256 digests are supported, got " + reference);
            }
            if (!Tag.isValid(reference)) {
                throw new RegistryException(ErrorCode.MANIFEST_INVALID, "'" + reference
                        + "' is neither a tag ([a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}) nor a digest");
            }
            tag = Optional.of(reference);
        }
        byte[] body = readBounded(request.body(), config.maxManifestSize().asLongValue());
        Digest digest = Digest.of(body);
        if (named.isPresent() && !named.get().equals(digest)) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID,
                    "the manifest's digest is " + digest + ", not " + named.get());
        }
        Manifest manifest;
        try {
            manifest = Manifest.parse(body, request.headers().getHeaderString(HttpHeaders.CONTENT_TYPE));
        } catch (InvalidManifestException e) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, e.getMessage());
        }
        String user = request.caller().user();
        writer.apply("push manifest " + name + (tag.map(t -> ":" + t).orElse("")) + "@" + digest, Actor.user(user),
                RegistryChanges.putManifest(name, digest, body, manifest, tag, clock.instant(), user, tagRules));
        events.pushed(name, digest, tag, manifest, body.length, user);
        Response.ResponseBuilder created = Response.status(201)
                .header("Location", RegistryResponses.manifestLocation(name, digest))
                .header(RegistryResponses.DIGEST_HEADER, digest).header("Content-Length", 0);
        manifest.subject().ifPresent(subject -> created.header("OCI-Subject", subject.digest()));
        return created.build();
    }

    Response delete(RepositoryName name, String reference, RegistryRequest request) {
        request.caller().require(Permission.DELETE, name.value());
        String user = request.caller().user();
        Optional<Digest> digest = Digest.parse(reference);
        if (digest.isPresent()) {
            writer.apply("delete manifest " + name + "@" + digest.get(), Actor.user(user),
                    RegistryChanges.deleteManifest(name, digest.get(), tagRules, new ManifestGuard()));
            events.deleted(name, digest.get(), Optional.empty(), user, "api");
        } else if (Tag.isValid(reference)) {
            Optional<Digest> was = catalog.repository(name).flatMap(r -> r.tag(reference)).map(t -> t.digest());
            writer.apply("delete tag " + name + ":" + reference, Actor.user(user),
                    RegistryChanges.deleteTag(name, reference, tagRules));
            was.ifPresent(d -> events.deleted(name, d, Optional.of(reference), user, "api"));
        } else {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, "not a tag or digest: " + reference);
        }
        return Response.status(202).build();
    }

    /** The manifest a tag or digest names in {@code name}, or the spec's MANIFEST_UNKNOWN. */
    ManifestRecord resolve(RepositoryName name, String reference) {
        catalog.requireLoaded();
        RepositoryEntry repository = catalog.repository(name).orElseThrow(
                () -> new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + name + " does not exist"));
        Optional<Digest> digest = Digest.parse(reference);
        if (digest.isEmpty() && !Tag.isValid(reference)) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, "not a tag or digest: " + reference);
        }
        Optional<Digest> target = digest.isPresent() ? digest : repository.tag(reference).map(t -> t.digest());
        return target.flatMap(repository::manifest).orElseThrow(() -> new RegistryException(
                ErrorCode.MANIFEST_UNKNOWN, "repository " + name + " has no manifest " + reference));
    }

    private static byte[] readBounded(InputStream in, long limit) throws IOException {
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (body.length > limit) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, 413,
                    "the manifest exceeds the registry's limit of " + limit + " bytes");
        }
        return body;
    }
}
