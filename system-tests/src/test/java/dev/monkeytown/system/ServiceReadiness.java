package dev.monkeytown.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * One service's own {@code /q/health/ready}, for what the gateway's summary leaves out: the individual checks and the
 * data they report (a ready service may still say it is degraded).
 */
final class ServiceReadiness {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    record Answer(int status, JsonNode body) {
        /** The named check, or a missing node when the service does not report it. */
        JsonNode check(String name) {
            return StreamSupport.stream(body.path("checks").spliterator(), false)
                    .filter(check -> name.equals(check.path("name").asText()))
                    .findFirst()
                    .orElse(MissingNode.getInstance());
        }
    }

    private ServiceReadiness() {
    }

    static Answer of(Launcher launcher, String service) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://localhost:" + launcher.managementPort(service) + "/q/health/ready"))
                .timeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }
}
