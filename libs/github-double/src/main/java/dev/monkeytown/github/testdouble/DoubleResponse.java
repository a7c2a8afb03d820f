package dev.monkeytown.github.testdouble;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** What a route answers; the server adds GitHub's common headers (rate limit, ETag for GETs). */
public record DoubleResponse(int status, JsonNode body, Map<String, String> headers) {

    public static DoubleResponse of(int status, JsonNode body) {
        return new DoubleResponse(status, body, new LinkedHashMap<>());
    }

    public static DoubleResponse error(int status, String message, String docs) {
        return of(status, Json.object().put("message", message).put("documentation_url", docs).put("status",
                String.valueOf(status)));
    }

    public static DoubleResponse notFound() {
        return error(404, "Not Found", "https://docs.github.com/rest");
    }

    public DoubleResponse withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
