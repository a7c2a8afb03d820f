package dev.monkeytown.github.testdouble;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * A workflow run's Actions artifacts: {@code GET .../actions/runs/{run_id}/artifacts} (paged, {@code name} filter) and
 * {@code GET .../actions/artifacts/{artifact_id}/zip}, answered as GitHub answers it: 302 to a short-lived URL on
 * another host that serves the zip without the API token (here {@value #STORAGE} on the double's port, good for
 * {@link #URL_LIFETIME_SECONDS} seconds and recorded in the ledger as a {@link CallKind#TRANSFER}), or 410 "Artifact has
 * expired" once its retention ran out.
 */
final class ActionsArtifactsApi implements ApiArea {

    static final String STORAGE = "/actions-artifacts-storage/";
    /** GitHub: "The URL expires after 1 minute." */
    static final long URL_LIFETIME_SECONDS = 60;
    private static final String DOCS = "https://docs.github.com/rest/actions/artifacts";

    private record Grant(long artifactId, long expiresAtMillis) {
    }

    private final GitHubDouble host;
    private final HostedArtifacts artifacts;
    private final CallLedger ledger;
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();

    ActionsArtifactsApi(GitHubDouble host, HostedArtifacts artifacts, CallLedger ledger) {
        this.host = host;
        this.artifacts = artifacts;
        this.ledger = ledger;
    }

    @Override
    public void register(Routes routes) {
        routes.read("GET", "/repos/([^/]+)/([^/]+)/actions/runs/([0-9]+)/artifacts", this::list)
                .read("GET", "/repos/([^/]+)/([^/]+)/actions/artifacts/([0-9]+)/([^/]+)", this::download);
    }

    static boolean isStorage(String path) {
        return path.startsWith(STORAGE);
    }

    private DoubleResponse list(DoubleRequest request, Matcher path) {
        Optional<HostedRepository> repo = host.existing(path.group(1), path.group(2));
        long runId = Long.parseLong(path.group(3));
        if (repo.isEmpty() || repo.get().actions().run(runId).isEmpty()) {
            return DoubleResponse.error(404, "Not Found", DOCS + "#list-workflow-run-artifacts");
        }
        Optional<String> name = Optional.ofNullable(request.query().get("name"));
        List<HostedArtifacts.Artifact> matching = artifacts.ofRun(repo.get().fullName(), runId).stream()
                .filter(a -> name.map(a.name()::equals).orElse(true)).toList();
        int perPage = Math.min(100, Integer.parseInt(request.query().getOrDefault("per_page", "30")));
        int page = Math.max(1, Integer.parseInt(request.query().getOrDefault("page", "1")));
        ObjectNode json = Json.object().put("total_count", matching.size());
        ArrayNode list = json.putArray("artifacts");
        matching.stream().skip((long) (page - 1) * perPage).limit(perPage)
                .forEach(a -> list.add(artifactJson(repo.get(), a)));
        return DoubleResponse.of(200, json);
    }

    private DoubleResponse download(DoubleRequest request, Matcher path) {
        Optional<HostedRepository> repo = host.existing(path.group(1), path.group(2));
        Optional<HostedArtifacts.Artifact> artifact = repo.flatMap(r -> artifacts.artifact(Long.parseLong(
                path.group(3))).filter(a -> a.repository().equalsIgnoreCase(r.fullName())));
        if (artifact.isEmpty() || !path.group(4).equals("zip")) {
            return DoubleResponse.error(404, "Not Found", DOCS + "#download-an-artifact");
        }
        if (artifact.get().expired()) {
            return DoubleResponse.error(410, "Artifact has expired", DOCS + "#download-an-artifact");
        }
        String token = UUID.randomUUID().toString();
        grants.put(token, new Grant(artifact.get().id(), System.currentTimeMillis() + URL_LIFETIME_SECONDS * 1000));
        return DoubleResponse.of(302, null).withHeader("Location", host.apiUrl() + STORAGE + token);
    }

    /** The short-lived URL a download was redirected to: the zip, or 403 once it expired, as a storage host answers. */
    void serveStorage(HttpServerRequest request) {
        java.time.Instant arrivedAt = java.time.Instant.now();
        Grant grant = grants.get(request.path().substring(STORAGE.length()));
        Optional<HostedArtifacts.Artifact> artifact = Optional.ofNullable(grant)
                .filter(g -> g.expiresAtMillis() > System.currentTimeMillis())
                .flatMap(g -> artifacts.artifact(g.artifactId()));
        int status = !request.method().name().equals("GET") ? 405 : artifact.isEmpty() ? 403 : 200;
        ledger.record(new RecordedRequest(arrivedAt, request.method().name(), request.path(), CallKind.TRANSFER,
                status, Refusal.NONE));
        if (status != 200) {
            request.response().setStatusCode(status).putHeader("Content-Type", "application/xml")
                    .end("<Error><Code>AuthenticationFailed</Code></Error>");
            return;
        }
        byte[] zip = artifact.get().zip();
        Optional<java.time.Duration> stall = artifacts.takeStall();
        if (stall.isPresent()) {
            request.response().setStatusCode(200).putHeader("Content-Type", "application/zip")
                    .putHeader("Content-Length", String.valueOf(zip.length))
                    .write(Buffer.buffer(java.util.Arrays.copyOf(zip, zip.length / 2)));
            io.vertx.core.Vertx.currentContext().owner().setTimer(Math.max(1, stall.get().toMillis()),
                    timer -> request.connection().close());
            return;
        }
        request.response().setStatusCode(200).putHeader("Content-Type", "application/zip")
                .end(Buffer.buffer(zip));
    }

    private ObjectNode artifactJson(HostedRepository repo, HostedArtifacts.Artifact a) {
        String url = host.apiUrl() + "/repos/" + repo.fullName() + "/actions/artifacts/" + a.id();
        ObjectNode json = Json.object().put("id", a.id()).put("node_id", host.nodeId("Artifact", String.valueOf(a.id())))
                .put("name", a.name()).put("size_in_bytes", a.zip().length).put("url", url)
                .put("archive_download_url", url + "/zip").put("expired", a.expired())
                .put("created_at", a.createdAt().toString()).put("expires_at", a.expiresAt().toString())
                .put("updated_at", a.createdAt().toString()).putNull("digest");
        repo.actions().run(a.runId()).ifPresent(run -> json.putObject("workflow_run").put("id", run.id())
                .put("repository_id", repo.id()).put("head_repository_id", repo.id())
                .put("head_branch", run.headBranch()).put("head_sha", run.headSha()));
        return json;
    }
}
