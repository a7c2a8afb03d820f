package dev.monkeytown.deploy.engine;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.deploy.deployments.Artifact;
import dev.monkeytown.deploy.deployments.Deployment;
import dev.monkeytown.deploy.environment.Environment;
import dev.monkeytown.github.ApiResponse;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubApiException;
import dev.monkeytown.github.GitHubUnavailableException;
import dev.monkeytown.runner.RunLookup;
import dev.monkeytown.runner.RunSpec;
import dev.monkeytown.runner.RunnerRef;
import dev.monkeytown.runner.github.GitHubActionsRunner;

/**
 * GitHub mode's side of a deployment: the {@code deploy-<env>.yml} dispatch that runs it, and the GitHub deployment
 * Actions makes for it (its job names the GitHub environment), read back when its {@code deployment_status} webhooks
 * were lost. deploy-service never creates a GitHub deployment itself ({@code POST /deployments} would make a second
 * one beside Actions').
 *
 * <p>
 * The workflow is dispatched on {@code environments/<env>}, whose head is the deployment's commit (the deployed
 * tree), with the inputs {@code deployment_id} (also in its {@code run-name}: the runner's contract), {@code sha} (the
 * source commit), {@code commit} (the environment branch's commit), {@code kind} and {@code artifacts} (the required
 * pipelines' outputs by digest, as JSON) — five of GitHub's ten, well under its 65,535 characters.
 */
public final class GitHubDeploys {

    /** GitHub's limits on {@code workflow_dispatch} inputs. */
    static final int MAX_INPUTS = 10;
    static final int MAX_INPUT_CHARS = 65_535;
    public static final String RUN_ID_INPUT = "deployment_id";

    /**
     * @param repository {@code owner/name}
     * @param reconcileInterval how often the deployments GitHub runs are read back when no webhook said how they are
     */
    public record Settings(String repository, Duration reconcileInterval) {
        public Settings {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(reconcileInterval, "reconcileInterval");
        }
    }

    /** A GitHub deployment's newest status. */
    public record Status(long deploymentId, String state, String description) {
    }

    private final GitHubAccess access;
    private final Settings settings;
    private final ObjectMapper json = new ObjectMapper();

    public GitHubDeploys(GitHubAccess access, Settings settings) {
        this.access = Objects.requireNonNull(access, "access");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public Settings settings() {
        return settings;
    }

    public static String workflow(String environment) {
        return "deploy-" + environment + ".yml";
    }

    /** The dispatch of {@code deploy-<env>.yml} for a deployment committed on its environment branch. */
    public static RunSpec spec(Deployment deployment, Environment environment) {
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("sha", deployment.sha());
        inputs.put("commit", deployment.environmentCommit());
        inputs.put("kind", deployment.kind().jsonName());
        inputs.put("artifacts", artifacts(deployment.artifacts()));
        int chars = deployment.id().length() + inputs.values().stream().mapToInt(String::length).sum();
        if (inputs.size() + 1 > MAX_INPUTS || chars > MAX_INPUT_CHARS) {
            throw new DeployRefusedException("deployment " + deployment.id() + " cannot be dispatched: its inputs"
                    + " are " + chars + " characters in " + (inputs.size() + 1) + " inputs, over GitHub's limit of "
                    + MAX_INPUT_CHARS + " characters in " + MAX_INPUTS + " inputs");
        }
        return RunSpec.builder(deployment.id(), "environments/" + deployment.environment(), environment.timeout())
                .commit(deployment.environmentCommit())
                .workflow(new RunSpec.WorkflowCall(workflow(deployment.environment()), RUN_ID_INPUT, inputs))
                .build();
    }

    /** How the runner finds the deployment's workflow run again, also after a restart. */
    public static RunLookup lookup(Deployment deployment) {
        Optional<RunnerRef> ref = Optional.ofNullable(deployment.github()).map(Deployment.GitHubLink::runId)
                .map(id -> RunnerRef.of(GitHubActionsRunner.KIND).withExternalId(String.valueOf(id)));
        return new RunLookup(deployment.id(), Optional.of(workflow(deployment.environment())),
                deployment.createdAt(), ref);
    }

    /** {@code [{"pipeline": ..., "build": ..., "reference": ..., "path": ..., "digest": ...}, ...]}, compact. */
    static String artifacts(List<Artifact> artifacts) {
        List<Map<String, Object>> files = new ArrayList<>();
        for (Artifact artifact : artifacts) {
            for (Artifact.File file : artifact.files()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("pipeline", artifact.pipeline());
                entry.put("build", artifact.buildId());
                if (artifact.reference() != null) {
                    entry.put("reference", artifact.reference());
                }
                entry.put("path", file.path());
                entry.put("digest", file.digest());
                files.add(entry);
            }
        }
        try {
            return new ObjectMapper().writeValueAsString(files);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The GitHub deployment Actions made for {@code runId} (a re-run's too) at the environment commit in that
     * environment. Anyone may run {@code deploy-<env>.yml} by hand on that commit, and GitHub then lists their
     * deployment at the same environment and sha: a deployment is ours only when its newest status's {@code log_url}
     * (or {@code target_url}) points at our workflow run.
     */
    public Optional<Long> find(String environment, String environmentCommit, long runId) throws IOException {
        Optional<JsonNode> listing = read("/repos/" + settings.repository() + "/deployments?environment="
                + URLEncoder.encode(environment, StandardCharsets.UTF_8) + "&sha=" + environmentCommit
                + "&per_page=10");
        if (listing.isEmpty() || listing.get().isEmpty()) {
            return Optional.empty();
        }
        String ours = "/actions/runs/" + runId + "/";
        long newest = -1;
        for (JsonNode deployment : listing.get()) {
            long id = deployment.path("id").asLong(-1);
            if (id <= newest) {
                continue;
            }
            Optional<JsonNode> statuses = read("/repos/" + settings.repository() + "/deployments/" + id
                    + "/statuses?per_page=1");
            Optional<JsonNode> status = statuses.filter(a -> a.isArray() && !a.isEmpty()).map(a -> a.get(0));
            boolean fromOurRun = status.map(s -> (s.path("log_url").asText("") + "/").contains(ours)
                    || (s.path("target_url").asText("") + "/").contains(ours)).orElse(false);
            if (fromOurRun) {
                newest = id;
            }
        }
        return newest < 0 ? Optional.empty() : Optional.of(newest);
    }

    /** Whether the deployment's job ever ran: GitHub Actions gave it an {@code in_progress} status. */
    public boolean ran(long deploymentId) throws IOException {
        Optional<JsonNode> statuses = read("/repos/" + settings.repository() + "/deployments/" + deploymentId
                + "/statuses?per_page=100");
        if (statuses.isEmpty()) {
            return false;
        }
        for (JsonNode status : statuses.get()) {
            if (status.path("state").asText("").equals("in_progress")) {
                return true;
            }
        }
        return false;
    }

    /** The deployment's newest status (GitHub lists them newest first); empty while it has none. */
    public Optional<Status> latest(long deploymentId) throws IOException {
        Optional<JsonNode> statuses = read("/repos/" + settings.repository() + "/deployments/" + deploymentId
                + "/statuses?per_page=1");
        if (statuses.isEmpty() || statuses.get().isEmpty()) {
            return Optional.empty();
        }
        JsonNode newest = statuses.get().get(0);
        return Optional.of(new Status(deploymentId, newest.path("state").asText(""),
                newest.path("description").asText("")));
    }

    private Optional<JsonNode> read(String path) throws IOException {
        ApiResponse response;
        try {
            response = access.get(path);
        } catch (GitHubUnavailableException e) {
            throw new IOException("GitHub unreachable reading " + path + ": " + e.getMessage(), e);
        }
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (!response.isSuccess()) {
            throw new GitHubApiException(response.status(), "GitHub answered " + response.status() + " reading "
                    + path);
        }
        return Optional.of(json.readTree(response.body()));
    }
}
