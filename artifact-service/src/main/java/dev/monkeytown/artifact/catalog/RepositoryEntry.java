package dev.monkeytown.artifact.catalog;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.RepositoryName;

/** One repository as the catalog knows it: manifests, tags (in the spec's lexical order), blob links, pulls. */
public final class RepositoryEntry {

    private final RepositoryName name;
    final Map<Digest, ManifestRecord> manifests = new ConcurrentHashMap<>();
    final NavigableMap<String, TagRecord> tags = new ConcurrentSkipListMap<>();
    final Map<Digest, BlobLink> blobs = new ConcurrentHashMap<>();
    volatile Map<String, PullRecord> pulls = Map.of();

    RepositoryEntry(RepositoryName name) {
        this.name = name;
    }

    public RepositoryName name() {
        return name;
    }

    public Optional<ManifestRecord> manifest(Digest digest) {
        return Optional.ofNullable(manifests.get(digest));
    }

    public List<ManifestRecord> manifests() {
        return List.copyOf(manifests.values());
    }

    public Optional<TagRecord> tag(String tag) {
        return Optional.ofNullable(tags.get(tag));
    }

    /** Tags in lexical order, as {@code tags/list} must answer. */
    public NavigableMap<String, TagRecord> tags() {
        return java.util.Collections.unmodifiableNavigableMap(tags);
    }

    public List<String> tagsOf(Digest digest) {
        return tags.entrySet().stream().filter(e -> e.getValue().digest().equals(digest)).map(Map.Entry::getKey)
                .toList();
    }

    public Optional<BlobLink> blob(Digest digest) {
        return Optional.ofNullable(blobs.get(digest));
    }

    public Map<Digest, BlobLink> blobs() {
        return Map.copyOf(blobs);
    }

    public PullRecord pulls(Digest digest) {
        return pulls.getOrDefault(digest.toString(), new PullRecord(0, null));
    }

    /** Manifests whose {@code subject} is {@code digest}: the referrers API's answer. */
    public List<ManifestRecord> referrers(Digest digest) {
        return manifests.values().stream().filter(m -> m.subject() != null && m.subject().digest().equals(digest))
                .toList();
    }

    boolean isEmpty() {
        return manifests.isEmpty() && tags.isEmpty() && blobs.isEmpty() && pulls.isEmpty();
    }
}
