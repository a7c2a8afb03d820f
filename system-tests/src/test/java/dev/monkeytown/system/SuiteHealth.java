package dev.monkeytown.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The gateway's {@code /health}, read as an outside client would. */
final class SuiteHealth {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    record Answer(int status, JsonNode body) {
        String serviceStatus(String service) {
            return body.at("/services/" + service + "/status").asText();
        }

        String reason(String service) {
            return body.at("/services/" + service + "/reason").asText();
        }
    }

    private SuiteHealth() {
    }

    static Answer of(Launcher launcher) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + launcher.port("api-gateway") + "/health"))
                .timeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }
}
