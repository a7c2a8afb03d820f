package dev.monkeytown.github.testdouble;

import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code GET /repos/{owner}/{repo}}, with the fields clients (hub4j's GHRepository) rely on. */
final class RepositoriesApi implements ApiArea {

    private final GitHubDouble host;

    RepositoriesApi(GitHubDouble host) {
        this.host = host;
    }

    @Override
    public void register(Routes routes) {
        routes.read("GET", "/repos/([^/]+)/([^/]+)", this::getRepository);
    }

    private DoubleResponse getRepository(DoubleRequest request, Matcher path) {
        return host.existing(path.group(1), path.group(2)).map(repo -> {
            ObjectNode json = Json.object().put("id", repo.id()).put("node_id", host.nodeId("Repository", repo.fullName()))
                    .put("name", repo.name()).put("full_name", repo.fullName()).put("private", true)
                    .put("html_url", "https://github.com/" + repo.fullName()).put("description", (String) null)
                    .put("fork", false).put("url", host.apiUrl() + "/repos/" + repo.fullName())
                    .put("default_branch", "main").put("visibility", "private").put("archived", false)
                    .put("disabled", false);
            json.set("owner", UsersApi.simpleUser(host, repo.owner(), repo.id() + 1));
            json.putObject("permissions").put("admin", false).put("maintain", false).put("push", true)
                    .put("triage", true).put("pull", true);
            return DoubleResponse.of(200, json);
        }).orElseGet(DoubleResponse::notFound);
    }
}
