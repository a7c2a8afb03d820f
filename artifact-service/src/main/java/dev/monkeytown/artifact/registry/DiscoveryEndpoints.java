package dev.monkeytown.artifact.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;

import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import dev.monkeytown.artifact.access.Permission;
import dev.monkeytown.artifact.catalog.Catalog;
import dev.monkeytown.artifact.catalog.ManifestRecord;
import dev.monkeytown.artifact.catalog.RepositoryEntry;
import dev.monkeytown.artifact.catalog.TagRecord;
import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.MediaTypes;
import dev.monkeytown.artifact.oci.RepositoryName;

/** Content discovery: {@code tags/list} (with {@code n}, {@code last} and {@code Link}) and the referrers API. */
@Singleton
public class DiscoveryEndpoints {

    /** The most tags one page holds when the client names no {@code n}, or a larger one. */
    static final int MAX_PAGE = 1000;

    private final Catalog catalog;

    DiscoveryEndpoints(Catalog catalog) {
        this.catalog = catalog;
    }

    Response tags(RepositoryName name, RegistryRequest request) {
        request.caller().require(Permission.PULL, name.value());
        catalog.requireLoaded();
        RepositoryEntry repository = catalog.repository(name).orElseThrow(
                () -> new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + name + " does not exist"));
        Optional<Integer> n = request.param("n").map(DiscoveryEndpoints::pageSize);
        Optional<String> last = request.param("last");
        NavigableMap<String, TagRecord> tags = repository.tags();
        NavigableMap<String, TagRecord> after = last.isPresent() ? tags.tailMap(last.get(), false) : tags;
        int size = Math.min(n.orElse(MAX_PAGE), MAX_PAGE);
        List<String> page = new ArrayList<>(after.keySet().stream().limit(size).toList());
        Response.ResponseBuilder response = Response.ok(Map.of("name", name.value(), "tags", page));
        boolean more = after.size() > page.size() && size > 0;
        if (more) {
            // the spec's pagination link: the next page starts after the last tag of this one
            response.header("Link", "</v2/" + name + "/tags/list?n=" + size + "&last=" + page.get(page.size() - 1)
                    + ">; rel=\"next\"");
        }
        return response.build();
    }

    Response referrers(RepositoryName name, String digestText, RegistryRequest request) {
        request.caller().require(Permission.PULL, name.value());
        catalog.requireLoaded();
        Digest subject = BlobEndpoints.digest(digestText);
        Optional<String> artifactType = request.param("artifactType");
        List<Map<String, Object>> descriptors = new ArrayList<>();
        List<ManifestRecord> referrers = catalog.repository(name).map(r -> r.referrers(subject)).orElse(List.of());
        referrers.stream().filter(m -> artifactType.isEmpty() || artifactType.get().equals(m.artifactType()))
                .sorted((a, b) -> a.digest().compareTo(b.digest())).forEach(m -> {
                    Map<String, Object> descriptor = new LinkedHashMap<>();
                    descriptor.put("mediaType", m.mediaType());
                    descriptor.put("digest", m.digest().toString());
                    descriptor.put("size", m.size());
                    if (m.artifactType() != null) {
                        descriptor.put("artifactType", m.artifactType());
                    }
                    if (!m.annotations().isEmpty()) {
                        descriptor.put("annotations", m.annotations());
                    }
                    descriptors.add(descriptor);
                });
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", descriptors);
        Response.ResponseBuilder response = Response.ok(index).type(MediaTypes.OCI_INDEX);
        artifactType.ifPresent(t -> response.header("OCI-Filters-Applied", "artifactType"));
        return response.build();
    }

    private static int pageSize(String n) {
        try {
            int value = Integer.parseInt(n.trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new RegistryException(ErrorCode.PAGINATION_NUMBER_INVALID, "n must be a whole number of 0 or more, was '"
                + n + "'");
    }
}
