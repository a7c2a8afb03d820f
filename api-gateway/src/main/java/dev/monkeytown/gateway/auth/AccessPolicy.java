package dev.monkeytown.gateway.auth;

import java.util.Arrays;
import java.util.Set;

import dev.monkeytown.gateway.pipeline.ApiRoute;
import dev.monkeytown.gateway.pipeline.Role;

/**
 * The role each public API request needs — the whole rule table, first match wins:
 *
 * <pre>
 * OPTIONS                          anonymous   (CORS preflights carry no credentials)
 * DELETE, or a path segment /admin admin
 * any other write (POST, PUT, ...) operator
 * artifact download                viewer      (spec: anonymous pull disabled)
 * other reads (GET, HEAD)          anonymous, or viewer when anonymous-reads=false
 * </pre>
 *
 * Methods that are neither reads nor known writes count as writes, so nothing new slips through as a read.
 */
public final class AccessPolicy {

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final boolean anonymousReads;

    public AccessPolicy(boolean anonymousReads) {
        this.anonymousReads = anonymousReads;
    }

    public Role required(String method, String path) {
        if ("OPTIONS".equals(method)) {
            return Role.ANONYMOUS;
        }
        if ("DELETE".equals(method) || isAdminPath(path)) {
            return Role.ADMIN;
        }
        if (!READS.contains(method)) {
            return Role.OPERATOR;
        }
        if (ApiRoute.isArtifactDownload(method, path)) {
            return Role.VIEWER;
        }
        return anonymousReads ? Role.ANONYMOUS : Role.VIEWER;
    }

    /**
     * Any {@code admin} segment below {@code /api/v1}, e.g. {@code /api/v1/runs/admin/reconcile}: operations kept for
     * administrators. Fails closed: a resource that happens to be named "admin" needs the admin role too.
     */
    static boolean isAdminPath(String path) {
        return path.startsWith(ApiRoute.API_PREFIX + "/")
                && Arrays.stream(path.substring(ApiRoute.API_PREFIX.length() + 1).split("/"))
                        .anyMatch("admin"::equals);
    }
}
