package dev.monkeytown.github.testdouble;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Deployments API as far as a client that lets GitHub Actions create deployments needs it: list deployments
 * (filtered by {@code sha}, {@code ref}, {@code task}, {@code environment}; newest first, paged), get one, list its
 * statuses (newest first). Deployments are made by workflow runs ({@link HostedDeployments}); {@code POST
 * /deployments} is not served, so a client creating a second deployment beside Actions' is a violation.
 */
final class DeploymentsApi implements ApiArea {

    private static final String REPO = "/repos/([^/]+)/([^/]+)";
    private static final String DOCS = "https://docs.github.com/rest/deployments/";

    private final GitHubDouble host;

    DeploymentsApi(GitHubDouble host) {
        this.host = host;
    }

    @Override
    public void register(Routes routes) {
        routes.read("GET", REPO + "/deployments", this::list)
                .read("GET", REPO + "/deployments/([0-9]+)", this::get)
                .read("GET", REPO + "/deployments/([0-9]+)/statuses", this::statuses);
    }

    private DoubleResponse inRepo(Matcher path, Function<HostedRepository, DoubleResponse> action) {
        return host.existing(path.group(1), path.group(2)).map(action).orElseGet(DoubleResponse::notFound);
    }

    private DoubleResponse list(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> {
            Map<String, String> query = request.query();
            List<HostedDeployments.HostedDeployment> matching = repo.deployments().all().stream()
                    .filter(d -> matches(query, "sha", d.sha()))
                    .filter(d -> matches(query, "ref", d.ref()))
                    .filter(d -> matches(query, "task", "deploy"))
                    .filter(d -> matches(query, "environment", d.environment())).toList();
            ArrayNode page = Json.array();
            paged(request, matching).forEach(d -> page.add(deploymentJson(host.apiUrl(), repo.fullName(), d)));
            return DoubleResponse.of(200, page);
        });
    }

    private DoubleResponse get(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> repo.deployments().deployment(Long.parseLong(path.group(3)))
                .map(d -> DoubleResponse.of(200, deploymentJson(host.apiUrl(), repo.fullName(), d)))
                .orElseGet(() -> DoubleResponse.error(404, "Not Found", DOCS + "deployments#get-a-deployment")));
    }

    private DoubleResponse statuses(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> {
            Optional<HostedDeployments.HostedDeployment> deployment = repo.deployments()
                    .deployment(Long.parseLong(path.group(3)));
            if (deployment.isEmpty()) {
                return DoubleResponse.error(404, "Not Found",
                        DOCS + "statuses#list-deployment-statuses");
            }
            ArrayNode page = Json.array();
            paged(request, repo.deployments().statuses(deployment.get().id()))
                    .forEach(s -> page.add(statusJson(host.apiUrl(), repo.fullName(), deployment.get(), s)));
            return DoubleResponse.of(200, page);
        });
    }

    /** A filter GitHub applies when given; its documented default {@code none} means no filter. */
    private static boolean matches(Map<String, String> query, String name, String value) {
        String wanted = query.get(name);
        return wanted == null || wanted.equals("none") || wanted.equals(value);
    }

    private static <T> List<T> paged(DoubleRequest request, List<T> all) {
        int perPage = Math.min(100, Integer.parseInt(request.query().getOrDefault("per_page", "30")));
        int page = Math.max(1, Integer.parseInt(request.query().getOrDefault("page", "1")));
        return all.stream().skip((long) (page - 1) * perPage).limit(perPage).toList();
    }

    /** The {@code deployment} schema. */
    static ObjectNode deploymentJson(String api, String repository, HostedDeployments.HostedDeployment d) {
        String url = api + "/repos/" + repository + "/deployments/" + d.id();
        ObjectNode json = Json.object().put("url", url).put("id", d.id())
                .put("node_id", nodeId("Deployment", d.id())).put("sha", d.sha()).put("ref", d.ref())
                .put("task", "deploy").put("original_environment", d.environment())
                .put("environment", d.environment()).putNull("description")
                .put("created_at", d.createdAt().toString()).put("updated_at", d.updatedAt().toString())
                .put("statuses_url", url + "/statuses").put("repository_url", api + "/repos/" + repository)
                .put("transient_environment", false).put("production_environment", false);
        json.putObject("payload");
        json.set("creator", actionsBot(api));
        json.set("performed_via_github_app", null);
        return json;
    }

    /** The {@code deployment-status} schema. */
    static ObjectNode statusJson(String api, String repository, HostedDeployments.HostedDeployment d,
            HostedDeployments.Status s) {
        String deploymentUrl = api + "/repos/" + repository + "/deployments/" + d.id();
        ObjectNode json = Json.object().put("url", deploymentUrl + "/statuses/" + s.id()).put("id", s.id())
                .put("node_id", nodeId("DeploymentStatus", s.id())).put("state", s.state())
                .put("description", s.description()).put("environment", d.environment())
                .put("target_url", s.logUrl()).put("created_at", s.createdAt().toString())
                .put("updated_at", s.createdAt().toString()).put("deployment_url", deploymentUrl)
                .put("repository_url", api + "/repos/" + repository).put("environment_url", "")
                .put("log_url", s.logUrl());
        json.set("creator", actionsBot(api));
        json.set("performed_via_github_app", null);
        return json;
    }

    private static ObjectNode actionsBot(String api) {
        return Json.object().put("login", "github-actions[bot]").put("id", 41898282)
                .put("node_id", "MDM6Qm90NDE4OTgyODI=")
                .put("avatar_url", "https://avatars.githubusercontent.com/in/15368?v=4").put("gravatar_id", "")
                .put("url", api + "/users/github-actions%5Bbot%5D")
                .put("html_url", "https://github.com/apps/github-actions").put("type", "Bot")
                .put("site_admin", false);
    }

    private static String nodeId(String kind, long id) {
        return java.util.Base64.getEncoder().withoutPadding()
                .encodeToString((kind + ":" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
