package dev.monkeytown.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One service's API called directly with the suite's internal token and an operator identity, as the gateway calls it
 * after authenticating a person: for the restart tests, which kill and start services behind the gateway's back.
 */
final class InternalApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final URI base;
    private final String token;

    private InternalApi(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** Reads the internal token {@code ./monkeytown up} generated; call after the suite is up. */
    static InternalApi of(Launcher launcher, String service) throws IOException {
        return new InternalApi(URI.create("http://localhost:" + launcher.port(service)),
                Files.readString(launcher.home().resolve("internal-token")).trim());
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return expect(200, "GET " + path, request(path).GET());
    }

    /** A POST whose answer must have the status given; the body is JSON. */
    JsonNode post(String path, String json, int status) throws IOException, InterruptedException {
        return expect(status, "POST " + path,
                request(path).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Bytes the service answers with 200, such as a blob. */
    byte[] bytes(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode());
        }
        return response.body();
    }

    private JsonNode expect(int status, String what, HttpRequest.Builder request)
            throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != status) {
            throw new AssertionError(what + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("X-Monkeytown-Internal-Token", token)
                .header("X-Monkeytown-User", "restart-test")
                .header("X-Monkeytown-Role", "operator");
    }
}
