package dev.monkeytown.deploy.engine;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/** artifact-service's {@code PUT /api/v1/artifacts/deployments/<environment>}, as a direct service call. */
public final class RegistryReferences implements ArtifactReferences {

    private final URI base;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final ObjectMapper json;
    private final HttpClient http;

    public RegistryReferences(URI base, Map<String, String> headers, Duration timeout, ObjectMapper json) {
        this.base = base;
        this.headers = Map.copyOf(headers);
        this.timeout = timeout;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public void record(String environment, List<String> current, List<String> lastGood) throws IOException {
        HttpRequest.Builder request = HttpRequest
                .newBuilder(base.resolve("/api/v1/artifacts/deployments/" + environment)).timeout(timeout)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(Map.of("current", current,
                        "lastGood", lastGood))));
        headers.forEach(request::header);
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new IOException("artifact-service answered " + response.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
