package dev.monkeytown.github.testdouble;

import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The token's own account: {@code GET /user} and {@code GET /rate_limit}. */
final class UsersApi implements ApiArea {

    private final GitHubDouble host;

    UsersApi(GitHubDouble host) {
        this.host = host;
    }

    @Override
    public void register(Routes routes) {
        routes.read("GET", "/user", this::user).read("GET", "/rate_limit", this::rateLimit);
    }

    private DoubleResponse user(DoubleRequest request, Matcher unused) {
        return DoubleResponse.of(200, simpleUser(host, host.login(), 1).put("name", "Monkeytown Bot")
                .putNull("company").putNull("email").put("public_repos", 0).put("created_at", "2026-01-01T00:00:00Z"));
    }

    private DoubleResponse rateLimit(DoubleRequest request, Matcher unused) {
        return DoubleResponse.of(200, host.primaryLimits().asJson(host.clock()));
    }

    static ObjectNode simpleUser(GitHubDouble host, String login, long id) {
        return Json.object().put("login", login).put("id", id).put("node_id", host.nodeId("User", login))
                .put("avatar_url", "https://avatars.githubusercontent.com/u/" + id)
                .put("url", host.apiUrl() + "/users/" + login).put("html_url", "https://github.com/" + login)
                .put("type", "User").put("site_admin", false);
    }
}
