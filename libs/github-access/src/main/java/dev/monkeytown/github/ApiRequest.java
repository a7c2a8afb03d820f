package dev.monkeytown.github;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** One HTTP request to GitHub. {@link #toString()} leaves headers out: they carry the token. */
public record ApiRequest(String method, URI uri, Map<String, List<String>> headers, byte[] body, RequestKind kind) {

    public static RequestKind kindOf(String method) {
        return method.equals("GET") || method.equals("HEAD") ? RequestKind.READ : RequestKind.WRITE;
    }

    /** Identifies identical reads for coalescing and caching: same URL, same representation. */
    String readKey() {
        return uri + " " + headers.getOrDefault("Accept", List.of());
    }

    @Override
    public String toString() {
        return method + " " + uri.getPath();
    }
}
