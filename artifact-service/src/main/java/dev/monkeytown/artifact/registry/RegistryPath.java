package dev.monkeytown.artifact.registry;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.monkeytown.artifact.oci.RepositoryName;

/**
 * A {@code /v2/} path, classified once: which endpoint of the distribution spec it names and its parts. Repository
 * names contain {@code /}, so the endpoint is recognised from the right-hand end, as the spec's endpoint table writes
 * them.
 */
public sealed interface RegistryPath {

    record Base() implements RegistryPath {
    }

    record Blob(RepositoryName name, String digest) implements RegistryPath {
    }

    record UploadStart(RepositoryName name) implements RegistryPath {
    }

    record Upload(RepositoryName name, String id) implements RegistryPath {
    }

    record ManifestRef(RepositoryName name, String reference) implements RegistryPath {
    }

    record Tags(RepositoryName name) implements RegistryPath {
    }

    record Referrers(RepositoryName name, String digest) implements RegistryPath {
    }

    /** A path no endpoint has. */
    record Unknown() implements RegistryPath {
    }

    /** A path of a known endpoint whose repository name breaks the grammar. */
    record InvalidName(String name) implements RegistryPath {
    }

    Pattern UPLOAD_START = Pattern.compile("(.+)/blobs/uploads/?");
    Pattern UPLOAD = Pattern.compile("(.+)/blobs/uploads/([^/]+)");
    Pattern BLOB = Pattern.compile("(.+)/blobs/([^/]+)");
    Pattern MANIFEST = Pattern.compile("(.+)/manifests/([^/]+)");
    Pattern TAGS = Pattern.compile("(.+)/tags/list");
    Pattern REFERRERS = Pattern.compile("(.+)/referrers/([^/]+)");

    /** {@code rest} is the path after {@code /v2/}. */
    static RegistryPath parse(String rest) {
        if (rest == null || rest.isEmpty() || rest.equals("/")) {
            return new Base();
        }
        Matcher m;
        if ((m = UPLOAD_START.matcher(rest)).matches()) {
            return named(m.group(1)).<RegistryPath>map(UploadStart::new).orElse(new InvalidName(m.group(1)));
        }
        if ((m = UPLOAD.matcher(rest)).matches()) {
            String id = m.group(2);
            return named(m.group(1)).<RegistryPath>map(n -> new Upload(n, id)).orElse(new InvalidName(m.group(1)));
        }
        if ((m = BLOB.matcher(rest)).matches()) {
            String digest = m.group(2);
            return named(m.group(1)).<RegistryPath>map(n -> new Blob(n, digest)).orElse(new InvalidName(m.group(1)));
        }
        if ((m = MANIFEST.matcher(rest)).matches()) {
            String reference = m.group(2);
            return named(m.group(1)).<RegistryPath>map(n -> new ManifestRef(n, reference))
                    .orElse(new InvalidName(m.group(1)));
        }
        if ((m = TAGS.matcher(rest)).matches()) {
            return named(m.group(1)).<RegistryPath>map(Tags::new).orElse(new InvalidName(m.group(1)));
        }
        if ((m = REFERRERS.matcher(rest)).matches()) {
            String digest = m.group(2);
            return named(m.group(1)).<RegistryPath>map(n -> new Referrers(n, digest))
                    .orElse(new InvalidName(m.group(1)));
        }
        return new Unknown();
    }

    private static Optional<RepositoryName> named(String name) {
        return RepositoryName.parse(name);
    }
}
