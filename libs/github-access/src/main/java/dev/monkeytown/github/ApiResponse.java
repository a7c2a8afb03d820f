package dev.monkeytown.github;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A response from GitHub, or from the ETag cache when GitHub answered 304 ({@code revalidated}: the body is the cached
 * one, still current, and fetching it cost no quota).
 */
public record ApiResponse(int status, Map<String, List<String>> headers, byte[] body, boolean revalidated) {

    public Optional<String> header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                .flatMap(e -> e.getValue().stream().findFirst());
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
