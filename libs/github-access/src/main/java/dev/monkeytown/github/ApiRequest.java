package dev.monkeytown.github;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** One HTTP request to GitHub. {@link #toString()} leaves headers out: they carry the token. */
public record ApiRequest(String method, URI uri, Map<String, List<String>> headers, byte[] body, RequestKind kind) {

    /** A Git object by its full id (SHA-1 or SHA-256): its content can never change. */
    private static final Pattern GIT_OBJECT = Pattern.compile(".*/git/(blobs|trees|commits)/([0-9a-f]{40}|[0-9a-f]{64})");

    public static RequestKind kindOf(String method) {
        return method.equals("GET") || method.equals("HEAD") ? RequestKind.READ : RequestKind.WRITE;
    }

    /** Identifies identical reads for coalescing and caching: same URL, same representation. */
    String readKey() {
        return uri + " " + headers.getOrDefault("Accept", List.of());
    }

    /** Whether this is a GET of a Git object by its full id, whose answer never changes. */
    boolean namesGitObject() {
        return method.equals("GET") && GIT_OBJECT.matcher(uri.getPath()).matches();
    }

    @Override
    public String toString() {
        return method + " " + uri.getPath();
    }
}
