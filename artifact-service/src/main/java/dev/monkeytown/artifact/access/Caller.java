package dev.monkeytown.artifact.access;

import java.util.regex.Pattern;

import jakarta.ws.rs.core.HttpHeaders;

/**
 * Who is asking, as the gateway tells it. The gateway authenticates the client (bearer token, or Basic with a suite
 * token as password on {@code /v2/}), drops any {@code X-Monkeytown-*} header the client sent, and forwards
 * {@code X-Monkeytown-User}, {@code X-Monkeytown-Role} and, for a token limited to some repositories,
 * {@code X-Monkeytown-Scope}. This service believes them because only a holder of the internal token reaches it.
 * <p>
 * Fails closed: no role header means anonymous. Other services calling directly name themselves with the same headers
 * (e.g. build-service as {@code operator}).
 */
public record Caller(String user, Role role, RepositoryScope scope) {

    public static final String USER = "X-Monkeytown-User";
    public static final String ROLE = "X-Monkeytown-Role";
    public static final String SCOPE = "X-Monkeytown-Scope";
    /** The challenge clients understand: docker, skopeo, oras, crane and Jib all answer Basic with credentials. */
    public static final String CHALLENGE = "Basic realm=\"Monkeytown registry\", charset=\"UTF-8\"";

    private static final Pattern SAFE_USER = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    public static Caller from(HttpHeaders headers) {
        return of(headers.getHeaderString(USER), headers.getHeaderString(ROLE), headers.getHeaderString(SCOPE));
    }

    public static Caller of(String user, String role, String scope) {
        Role parsed = Role.parse(role).orElse(Role.ANONYMOUS);
        String name = user != null && SAFE_USER.matcher(user).matches() ? user : "anonymous";
        if (parsed == Role.ANONYMOUS) {
            return new Caller("anonymous", Role.ANONYMOUS, RepositoryScope.ALL);
        }
        try {
            return new Caller(name, parsed, RepositoryScope.parse(scope));
        } catch (IllegalArgumentException e) {
            // a scope we cannot read limits the caller to nothing rather than to everything
            return new Caller(name, parsed, RepositoryScope.parse(""));
        }
    }

    /** Refuses unless this caller may {@code permission} on {@code repository}. */
    public void require(Permission permission, String repository) {
        require(permission);
        if (!scope.allows(repository)) {
            throw new AccessDeniedException(false,
                    "the token of " + user + " is limited to repositories " + scope + ", not " + repository);
        }
    }

    /** Refuses unless this caller's role allows {@code permission} at all. */
    public void require(Permission permission) {
        requireAuthenticated();
        if (!role.atLeast(permission.least())) {
            throw new AccessDeniedException(false, permission.name().toLowerCase() + " needs the "
                    + permission.least().name().toLowerCase() + " role; " + user + " is "
                    + role.name().toLowerCase());
        }
    }

    /**
     * Refuses unless this caller may {@code permission} and its token is not limited to some repositories: for what
     * reaches across repositories (deployment references protect manifests in all of them).
     */
    public void requireRegistryWide(Permission permission, String what) {
        require(permission);
        if (scope.patterns().isPresent()) {
            throw new AccessDeniedException(false, what + " needs a token not limited to repositories; the token of "
                    + user + " is limited to " + scope);
        }
    }

    /** Refuses anonymous callers: the spec's "Anonymous pull: Disabled" leaves them nothing to read. */
    public void requireAuthenticated() {
        if (role == Role.ANONYMOUS) {
            throw new AccessDeniedException(true, "anonymous pull is disabled: authenticate with a suite token");
        }
    }

    public boolean mayPull(String repository) {
        return role.atLeast(Role.VIEWER) && scope.allows(repository);
    }
}
