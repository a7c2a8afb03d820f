package dev.monkeytown.artifact.catalog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import dev.monkeytown.artifact.catalog.CatalogRefusal.Reason;
import dev.monkeytown.artifact.oci.Descriptor;
import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.Manifest;
import dev.monkeytown.artifact.oci.RepositoryName;
import dev.monkeytown.state.Workspace;

/**
 * The registry's changes to its branch, each a function of the branch as it is when the commit is made (they may run
 * more than once). Every rule that two racing requests could both slip past (a tag that must not move, a blob or
 * manifest something still needs) reads the workspace, never the in-memory catalog: the catalog does not yet hold a
 * push committed earlier in the same batch, or one whose commit landed but whose catalog reload has not run.
 */
public final class RegistryChanges {

    private RegistryChanges() {
    }

    /** Makes a stored blob pullable through {@code repository}; records its LFS pointer if it is new to the store. */
    public static Consumer<RecordingWorkspace> linkBlob(RepositoryName repository, Digest digest, long size,
            Instant now, String by) {
        return ws -> {
            String link = ArtifactPaths.blobLink(repository, digest);
            if (ws.read(link).isEmpty()) {
                ws.putJson(link, new BlobLink(size, now, by));
            }
            recordPointer(ws, digest, size);
        };
    }

    static void recordPointer(RecordingWorkspace ws, Digest digest, long size) {
        String pointer = ArtifactPaths.pointer(digest);
        if (ws.read(pointer).isEmpty()) {
            ws.put(pointer, new LfsPointer(digest, size).text().getBytes(StandardCharsets.UTF_8));
        }
        if (ws.read(ArtifactPaths.GITATTRIBUTES).isEmpty()) {
            ws.put(ArtifactPaths.GITATTRIBUTES, ArtifactPaths.GITATTRIBUTES_TEXT);
        }
        String mark = ArtifactPaths.gcMark(digest);
        if (ws.read(mark).isPresent()) {
            ws.delete(mark);
        }
    }

    /**
     * Stores a manifest (and moves {@code tag} to it). Everything it points to must already be in the repository:
     * blobs for an image manifest, manifests for an index. Its {@code subject} need not exist (the spec lets referrers
     * arrive before what they refer to).
     */
    public static Consumer<RecordingWorkspace> putManifest(RepositoryName repository, Digest digest, byte[] body,
            Manifest manifest, Optional<String> tag, Instant now, String by, TagRules rules) {
        return ws -> {
            for (Descriptor reference : manifest.references()) {
                String needed = manifest.index()
                        ? ArtifactPaths.manifest(repository, reference.digest())
                        : ArtifactPaths.blobLink(repository, reference.digest());
                if (ws.read(needed).isEmpty()) {
                    throw new CatalogRefusal(Reason.MANIFEST_BLOB_UNKNOWN, (manifest.index() ? "manifest " : "blob ")
                            + reference.digest() + " is not in repository " + repository + "; push it first");
                }
            }
            if (tag.isPresent()) {
                Optional<TagRecord> current = ws.readJson(ArtifactPaths.tag(repository, tag.get()), TagRecord.class);
                if (current.isPresent() && !current.get().digest().equals(digest)) {
                    refuseIfImmutable(rules, repository, tag.get(), "re-pushed");
                }
                if (current.isEmpty() || !current.get().digest().equals(digest)) {
                    ws.putJson(ArtifactPaths.tag(repository, tag.get()), new TagRecord(digest, now, by));
                }
            }
            ws.putJson(ArtifactPaths.manifest(repository, digest),
                    new ManifestRecord(digest, manifest.mediaType(), manifest.artifactType(), body.length,
                            manifest.references(), manifest.subject().orElse(null), manifest.annotations(), now, by));
            String bodyPath = ArtifactPaths.manifestBody(repository, digest);
            if (ws.read(bodyPath).isEmpty()) {
                ws.put(bodyPath, body);
            }
        };
    }

    /**
     * Deletes a manifest, the tags naming it, and the repository's links to blobs no other manifest of the repository
     * needs. Refused while an immutable tag names it or something protects it ({@code guard}).
     */
    public static Consumer<RecordingWorkspace> deleteManifest(RepositoryName repository, Digest digest, TagRules rules,
            ManifestGuard guard) {
        return ws -> {
            String path = ArtifactPaths.manifest(repository, digest);
            ManifestRecord record = ws.readJson(path, ManifestRecord.class).orElseThrow(
                    () -> new CatalogRefusal(Reason.MANIFEST_UNKNOWN, repository + "@" + digest + " does not exist"));
            guard.why(repository, digest, ws).ifPresent(why -> {
                throw new CatalogRefusal(Reason.PROTECTED, repository + "@" + digest + " cannot be deleted: " + why);
            });
            String tagFolder = ArtifactPaths.REPOSITORIES + "/" + repository + "/_tags/";
            for (String tagPath : ws.list(tagFolder)) {
                Optional<TagRecord> tag = ws.readJson(tagPath, TagRecord.class);
                if (tag.isPresent() && tag.get().digest().equals(digest)) {
                    String name = tagPath.substring(tagFolder.length(), tagPath.length() - ".json".length());
                    refuseIfImmutable(rules, repository, name, "deleted");
                    ws.delete(tagPath);
                }
            }
            ws.delete(path);
            ws.delete(ArtifactPaths.manifestBody(repository, digest));
            if (!record.mediaType().equals(dev.monkeytown.artifact.oci.MediaTypes.OCI_INDEX)
                    && !record.mediaType().equals(dev.monkeytown.artifact.oci.MediaTypes.DOCKER_LIST)) {
                List<ManifestRecord> others = manifests(ws, repository).stream()
                        .filter(m -> !m.digest().equals(digest)).toList();
                for (Descriptor blob : record.references()) {
                    boolean stillNeeded = others.stream().anyMatch(m -> m.refersTo(blob.digest()));
                    if (!stillNeeded) {
                        ws.delete(ArtifactPaths.blobLink(repository, blob.digest()));
                    }
                }
            }
        };
    }

    /** Deletes a tag; the manifest stays. */
    public static Consumer<RecordingWorkspace> deleteTag(RepositoryName repository, String tag, TagRules rules) {
        return ws -> {
            String path = ArtifactPaths.tag(repository, tag);
            if (ws.read(path).isEmpty()) {
                throw new CatalogRefusal(Reason.TAG_UNKNOWN, "repository " + repository + " has no tag " + tag);
            }
            refuseIfImmutable(rules, repository, tag, "deleted");
            ws.delete(path);
        };
    }

    /** Removes a blob from a repository, unless one of its manifests needs it. */
    public static Consumer<RecordingWorkspace> unlinkBlob(RepositoryName repository, Digest digest) {
        return ws -> {
            String path = ArtifactPaths.blobLink(repository, digest);
            if (ws.read(path).isEmpty()) {
                throw new CatalogRefusal(Reason.BLOB_UNKNOWN, "repository " + repository + " has no blob " + digest);
            }
            Optional<ManifestRecord> user = manifests(ws, repository).stream().filter(m -> m.refersTo(digest))
                    .findFirst();
            if (user.isPresent()) {
                throw new CatalogRefusal(Reason.PROTECTED, "blob " + digest + " is needed by manifest "
                        + user.get().digest() + "; delete the manifest first");
            }
            ws.delete(path);
        };
    }

    /** The manifest records of {@code repository} as the workspace holds them (this batch's earlier pushes included). */
    static List<ManifestRecord> manifests(Workspace ws, RepositoryName repository) {
        String folder = ArtifactPaths.manifestFolder(repository);
        return ws.list(folder).stream()
                .filter(path -> path.endsWith(".json"))
                .flatMap(path -> ws.read(path).map(d -> CatalogJson.read(d.content(), ManifestRecord.class)).stream())
                .toList();
    }

    private static void refuseIfImmutable(TagRules rules, RepositoryName repository, String tag, String verb) {
        rules.immutablePattern(repository, tag).ifPresent(pattern -> {
            throw new CatalogRefusal(Reason.IMMUTABLE_TAG,
                    "tag " + tag + " of " + repository + " is immutable (pattern " + pattern + ") and cannot be "
                            + verb);
        });
    }
}
