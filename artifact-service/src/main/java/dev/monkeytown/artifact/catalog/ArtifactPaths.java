package dev.monkeytown.artifact.catalog;

import java.util.Optional;

import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.RepositoryName;

/**
 * Where each record lives on {@code monkeytown/state/artifact-service}. Repository names become folders; the record
 * folders beside them start with {@code _}, which no name component can, so a repository {@code a/b} never collides
 * with one named {@code a}.
 *
 * <pre>
 * repositories/&lt;name&gt;/_manifests/sha256/&lt;hex&gt;.json   manifest record (no bytes)
 * repositories/&lt;name&gt;/_tags/&lt;tag&gt;.json               tag
 * repositories/&lt;name&gt;/_blobs/sha256/&lt;hex&gt;.json       blob link
 * repositories/&lt;name&gt;/_pulls.json                     pull counts and times, flushed in batches
 * manifests/&lt;name&gt;/_sha256/&lt;hex&gt;.json             the manifest's bytes, exactly as pushed
 * blobs/sha256/&lt;hex&gt;                                Git LFS pointer of every stored blob
 * gc/sha256/&lt;hex&gt;.json                              blob no repository links any more
 * deployments/&lt;environment&gt;.json                    what deploy-service says is deployed (retention keeps it)
 * retention/runs/&lt;yyyy&gt;/&lt;mm&gt;/&lt;dd&gt;/&lt;id&gt;.json          retention run history
 * .gitattributes                                    marks blobs/ as LFS pointers for git-lfs
 * </pre>
 */
public final class ArtifactPaths {

    public static final String REPOSITORIES = "repositories";
    public static final String MANIFEST_BODIES = "manifests";
    public static final String BLOBS = "blobs";
    public static final String GC = "gc";
    public static final String DEPLOYMENTS = "deployments";
    public static final String RETENTION_RUNS = "retention/runs";
    public static final String GITATTRIBUTES = ".gitattributes";
    public static final String GITATTRIBUTES_TEXT = "blobs/** filter=lfs diff=lfs merge=lfs -text\n";

    /** The kind of record a path under {@code repositories/} holds. */
    public enum Kind {
        MANIFEST, TAG, BLOB_LINK, PULLS
    }

    /** A record path taken apart: its repository, kind and key (a digest's hex, or a tag). */
    public record Parsed(RepositoryName repository, Kind kind, String key) {
    }

    private ArtifactPaths() {
    }

    public static String manifest(RepositoryName repository, Digest digest) {
        return manifestFolder(repository) + digest.hex() + ".json";
    }

    /** The folder of a repository's manifest records (its own only: a nested repository's sit deeper). */
    public static String manifestFolder(RepositoryName repository) {
        return REPOSITORIES + "/" + repository + "/_manifests/sha256/";
    }

    public static String manifestBody(RepositoryName repository, Digest digest) {
        return MANIFEST_BODIES + "/" + repository + "/_sha256/" + digest.hex() + ".json";
    }

    public static String tag(RepositoryName repository, String tag) {
        return REPOSITORIES + "/" + repository + "/_tags/" + tag + ".json";
    }

    public static String blobLink(RepositoryName repository, Digest digest) {
        return REPOSITORIES + "/" + repository + "/_blobs/sha256/" + digest.hex() + ".json";
    }

    public static String pulls(RepositoryName repository) {
        return REPOSITORIES + "/" + repository + "/_pulls.json";
    }

    public static String pointer(Digest digest) {
        return BLOBS + "/sha256/" + digest.hex();
    }

    public static String gcMark(Digest digest) {
        return GC + "/sha256/" + digest.hex() + ".json";
    }

    public static String deployment(String environment) {
        return DEPLOYMENTS + "/" + environment + ".json";
    }

    public static Optional<Digest> pointerDigest(String path) {
        return path.startsWith(BLOBS + "/sha256/")
                ? Digest.parse("sha256:" + path.substring(BLOBS.length() + 8))
                : Optional.empty();
    }

    public static Optional<Digest> gcDigest(String path) {
        String prefix = GC + "/sha256/";
        return path.startsWith(prefix) && path.endsWith(".json")
                ? Digest.parse("sha256:" + path.substring(prefix.length(), path.length() - 5))
                : Optional.empty();
    }

    /** Takes a {@code repositories/...} path apart; empty for anything else. */
    public static Optional<Parsed> parse(String path) {
        if (!path.startsWith(REPOSITORIES + "/")) {
            return Optional.empty();
        }
        String rest = path.substring(REPOSITORIES.length() + 1);
        int marker = rest.indexOf("/_");
        if (marker < 0) {
            return Optional.empty();
        }
        Optional<RepositoryName> name = RepositoryName.parse(rest.substring(0, marker));
        String record = rest.substring(marker + 1);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (record.equals("_pulls.json")) {
            return Optional.of(new Parsed(name.get(), Kind.PULLS, ""));
        }
        if (record.startsWith("_manifests/sha256/") && record.endsWith(".json")) {
            return Optional.of(new Parsed(name.get(), Kind.MANIFEST, stripJson(record, "_manifests/sha256/")));
        }
        if (record.startsWith("_blobs/sha256/") && record.endsWith(".json")) {
            return Optional.of(new Parsed(name.get(), Kind.BLOB_LINK, stripJson(record, "_blobs/sha256/")));
        }
        if (record.startsWith("_tags/") && record.endsWith(".json")) {
            return Optional.of(new Parsed(name.get(), Kind.TAG, stripJson(record, "_tags/")));
        }
        return Optional.empty();
    }

    private static String stripJson(String record, String prefix) {
        return record.substring(prefix.length(), record.length() - ".json".length());
    }
}
