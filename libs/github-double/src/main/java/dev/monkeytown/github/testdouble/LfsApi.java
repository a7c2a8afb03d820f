package dev.monkeytown.github.testdouble;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Git LFS batch API of a repository, {@code POST <owner>/<repo>.git/info/lfs/objects/batch}, and its verify
 * callback, as git-lfs documents them ({@code docs/api/batch.md}, {@code docs/api/basic-transfers.md}; the rules
 * checked are listed in {@code src/main/resources/git-lfs/README.md}). Upload actions point to the double's storage
 * host ({@link LfsTransfers}), with an {@code Authorization} header the upload must carry, as GitHub's pre-signed
 * storage URLs do; an object already stored gets no actions and costs no upload.
 */
final class LfsApi implements ApiArea {

    static final String MEDIA_TYPE = "application/vnd.git-lfs+json";
    static final String OVER_QUOTA = "This repository is over its data quota. Account responsible for LFS bandwidth"
            + " should purchase more data packs to restore access.";
    static final String INSUFFICIENT_STORAGE = "Insufficient storage: the server cannot store these objects right"
            + " now.";
    private static final String DOCS = "https://docs.github.com/repositories/working-with-files/managing-large-files";
    private static final Pattern OID = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> REQUEST_FIELDS = Set.of("operation", "transfers", "ref", "objects", "hash_algo");
    private static final Set<String> OBJECT_FIELDS = Set.of("oid", "size", "authenticated");

    private final GitHubDouble host;
    private final LfsStorage storage;
    private final LfsTransfers transfers;

    LfsApi(GitHubDouble host, LfsStorage storage, LfsTransfers transfers) {
        this.host = host;
        this.storage = storage;
        this.transfers = transfers;
    }

    static boolean isLfsPath(String path) {
        return path.contains(".git/info/lfs/");
    }

    @Override
    public void register(Routes routes) {
        routes.read("POST", "/([^/]+)/([^/]+)\\.git/info/lfs/objects/batch", this::batch)
                .read("POST", "/([^/]+)/([^/]+)\\.git/info/lfs/verify", this::verify);
    }

    private DoubleResponse batch(DoubleRequest request, Matcher path) {
        Optional<Duration> limited = storage.takeRateLimit();
        if (limited.isPresent()) {
            return lfsError(429, "API rate limit exceeded for this repository's LFS objects.")
                    .withHeader("Retry-After", String.valueOf(Math.max(1, limited.get().toSeconds())));
        }
        List<String> problems = new ArrayList<>();
        if (!request.header("Accept").map(a -> a.contains(MEDIA_TYPE)).orElse(false)) {
            return violation(406, "Accept must be " + MEDIA_TYPE);
        }
        if (!request.header("Content-Type").map(c -> c.startsWith(MEDIA_TYPE)).orElse(false)) {
            problems.add("Content-Type must be " + MEDIA_TYPE);
        }
        JsonNode body = request.json();
        if (body == null || !body.isObject()) {
            return violation(422, "the body must be a JSON object");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!REQUEST_FIELDS.contains(f)) {
                problems.add("unknown field " + f);
            }
        });
        String operation = body.path("operation").asText("");
        if (!operation.equals("upload") && !operation.equals("download")) {
            problems.add("operation must be upload or download");
        }
        if (body.has("transfers") && !containsBasic(body.get("transfers"))) {
            problems.add("transfers must list basic, the only adapter served");
        }
        if (body.has("hash_algo") && !body.get("hash_algo").asText().equals("sha256")) {
            problems.add("hash_algo must be sha256");
        }
        JsonNode objects = body.get("objects");
        if (objects == null || !objects.isArray()) {
            problems.add("objects must be an array");
        } else {
            Set<String> seen = new HashSet<>();
            for (JsonNode object : objects) {
                object.fieldNames().forEachRemaining(f -> {
                    if (!OBJECT_FIELDS.contains(f)) {
                        problems.add("unknown object field " + f);
                    }
                });
                if (!OID.matcher(object.path("oid").asText("")).matches()) {
                    problems.add("oid must be 64 lower-case hex characters");
                }
                if (!object.path("size").canConvertToLong() || object.path("size").asLong(-1) < 0) {
                    problems.add("size must be a whole number of 0 or more");
                }
                seen.add(object.path("oid").asText());
            }
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> host.violation("LFS batch: " + p));
            return lfsError(422, "Validation error: " + String.join("; ", problems));
        }
        String owner = path.group(1);
        String repo = path.group(2);
        if (host.existing(owner, repo).isEmpty()) {
            return lfsError(404, "Repository not found.");
        }
        String repository = owner + "/" + repo;
        return operation.equals("upload") ? uploads(repository, objects) : downloads(repository, objects);
    }

    private DoubleResponse uploads(String repository, JsonNode objects) {
        long newBytes = 0;
        for (JsonNode object : objects) {
            if (!storage.has(repository, object.get("oid").asText())) {
                newBytes += object.get("size").asLong();
            }
        }
        if (newBytes > 0 && storage.wouldExceedStorage(repository, newBytes)) {
            return lfsError(403, OVER_QUOTA);
        }
        if (newBytes > 0 && storage.insufficientStorage()) {
            return lfsError(507, INSUFFICIENT_STORAGE);
        }
        ArrayNode answered = Json.MAPPER.createArrayNode();
        for (JsonNode object : objects) {
            String oid = object.get("oid").asText();
            long size = object.get("size").asLong();
            ObjectNode entry = answered.addObject().put("oid", oid).put("size", size).put("authenticated", true);
            if (storage.has(repository, oid)) {
                continue; // the spec: no actions for an object the server has
            }
            ObjectNode actions = entry.putObject("actions");
            Duration lifetime = lifetime();
            action(actions.putObject("upload"), transfers.href(repository, oid), transfers.grant(repository, oid,
                    size, Instant.now().plus(lifetime)), lifetime);
            action(actions.putObject("verify"), host.apiUrl() + "/" + repository + ".git/info/lfs/verify",
                    "RemoteAuth " + UUID.randomUUID(), lifetime);
        }
        return lfsAnswer(answered);
    }

    private DoubleResponse downloads(String repository, JsonNode objects) {
        long bytes = 0;
        for (JsonNode object : objects) {
            bytes += storage.size(repository, object.get("oid").asText()).orElse(0L);
        }
        if (bytes > 0 && storage.wouldExceedBandwidth(bytes)) {
            return lfsError(403, OVER_QUOTA);
        }
        ArrayNode answered = Json.MAPPER.createArrayNode();
        for (JsonNode object : objects) {
            String oid = object.get("oid").asText();
            long size = object.get("size").asLong();
            ObjectNode entry = answered.addObject().put("oid", oid).put("size", size);
            if (storage.size(repository, oid).filter(s -> s == size).isEmpty()) {
                entry.putObject("error").put("code", 404).put("message", "Object does not exist");
                continue;
            }
            entry.put("authenticated", true);
            Duration lifetime = lifetime();
            action(entry.putObject("actions").putObject("download"), transfers.href(repository, oid),
                    transfers.grant(repository, oid, size, Instant.now().plus(lifetime)), lifetime);
        }
        return lfsAnswer(answered);
    }

    private DoubleResponse verify(DoubleRequest request, Matcher path) {
        JsonNode body = request.json();
        if (body == null || !OID.matcher(body.path("oid").asText("")).matches() || !body.path("size").canConvertToLong()) {
            host.violation("LFS verify: the body must be {\"oid\": <64 hex>, \"size\": <bytes>}");
            return lfsError(422, "Validation error: oid and size are required");
        }
        String repository = path.group(1) + "/" + path.group(2);
        boolean stored = storage.size(repository, body.get("oid").asText())
                .filter(size -> size == body.get("size").asLong()).isPresent();
        return stored
                ? DoubleResponse.of(200, Json.object()).withHeader("Content-Type", MEDIA_TYPE)
                : lfsError(404, "Object does not exist");
    }

    /** How long the actions for one object stay valid: zero for one {@link LfsStorage#expireNextActions} spoils. */
    private Duration lifetime() {
        return storage.takeExpiredAction() ? Duration.ZERO : storage.actionLifetime();
    }

    /**
     * An action as batch.md describes it: {@code href}, {@code header}, and both {@code expires_in} (whole seconds
     * after the client's own time; preferred) and {@code expires_at} (RFC 3339, upper case, second precision, by
     * GitHub's clock).
     */
    private void action(ObjectNode action, String href, String authorization, Duration lifetime) {
        action.put("href", href);
        action.putObject("header").put("Authorization", authorization);
        action.put("expires_in", lifetime.toSeconds());
        action.put("expires_at", DateTimeFormatter.ISO_INSTANT
                .format(host.clock().now().plus(lifetime).truncatedTo(ChronoUnit.SECONDS)));
    }

    private static boolean containsBasic(JsonNode transfers) {
        if (!transfers.isArray()) {
            return false;
        }
        for (JsonNode transfer : transfers) {
            if (transfer.asText().equals("basic")) {
                return true;
            }
        }
        return false;
    }

    private static DoubleResponse lfsAnswer(ArrayNode objects) {
        ObjectNode body = Json.object().put("transfer", "basic");
        body.set("objects", objects);
        return DoubleResponse.of(200, body).withHeader("Content-Type", MEDIA_TYPE);
    }

    private DoubleResponse violation(int status, String message) {
        host.violation("LFS batch: " + message);
        return lfsError(status, message);
    }

    static DoubleResponse lfsError(int status, String message) {
        return DoubleResponse.of(status, Json.object().put("message", message).put("documentation_url", DOCS)
                .put("request_id", RequestPipeline.requestId())).withHeader("Content-Type", MEDIA_TYPE);
    }
}
