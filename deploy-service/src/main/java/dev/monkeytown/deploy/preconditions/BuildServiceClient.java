package dev.monkeytown.deploy.preconditions;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * build-service's API as a direct service call ({@code X-Monkeytown-Internal-Token}, as the gateway would send it):
 * {@code GET /api/v1/builds?pipeline=&state=succeeded} paged newest first, and {@code GET /api/v1/builds/{id}}. Looks
 * back {@code pages} pages of 200 builds at most: a commit older than that is not deployed without a new build.
 */
public final class BuildServiceClient implements BuildRecords {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Page(List<BuildRecord> builds, String next) {
    }

    private static final int PAGE = 200;

    private final URI base;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final int pages;
    private final ObjectMapper json;
    private final HttpClient http;

    public BuildServiceClient(URI base, Map<String, String> headers, Duration timeout, int pages, ObjectMapper json) {
        this.base = base;
        this.headers = Map.copyOf(headers);
        this.timeout = timeout;
        this.pages = pages;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public List<BuildRecord> succeeded(String pipeline) throws BuildsUnavailableException {
        List<BuildRecord> found = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < pages; page++) {
            String query = "/api/v1/builds?state=succeeded&limit=" + PAGE + "&pipeline=" + encode(pipeline)
                    + (cursor == null ? "" : "&cursor=" + encode(cursor));
            Optional<String> body = get(query);
            if (body.isEmpty()) {
                break;
            }
            Page answer = read(body.get(), Page.class);
            found.addAll(answer.builds() == null ? List.of() : answer.builds());
            cursor = answer.next();
            if (cursor == null) {
                break;
            }
        }
        return found;
    }

    @Override
    public Optional<BuildRecord> build(String id) throws BuildsUnavailableException {
        Optional<String> body = get("/api/v1/builds/" + encode(id));
        return body.isEmpty() ? Optional.empty() : Optional.of(read(body.get(), BuildRecord.class));
    }

    /** @return the body of a 200, empty for a 404; anything else means build-service could not answer */
    private Optional<String> get(String pathAndQuery) throws BuildsUnavailableException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(timeout).GET()
                .header("Accept", "application/json");
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return Optional.of(response.body());
            }
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            throw new BuildsUnavailableException("build-service answered " + response.statusCode(), null);
        } catch (IOException e) {
            throw new BuildsUnavailableException("build-service could not be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildsUnavailableException("interrupted", e);
        }
    }

    private <T> T read(String body, Class<T> type) throws BuildsUnavailableException {
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new BuildsUnavailableException("build-service's answer could not be read: " + e.getMessage(), e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
