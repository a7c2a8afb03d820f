package dev.monkeytown.build.outputs;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The CNCF distribution registry (Debian package {@code docker-registry}) on a free loopback port with filesystem
 * storage in a temporary directory: a real registry to check the OCI client against. {@code .ci/run} installs it.
 */
public final class TestRegistry implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Process process;
    private final URI base;

    public URI base() {
        return base;
    }

    private TestRegistry(Process process, URI base) {
        this.process = process;
        this.base = base;
    }

    public static TestRegistry start(Path directory) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("the docker-registry package is missing: apt-get install -y docker-registry"
                    + " (.ci/run does)");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(directory);
        Path config = directory.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(directory.resolve("storage"), port));
        Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(directory.resolve("registry.log").toFile()).start();
        URI base = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<Void> ping = http.send(HttpRequest.newBuilder(base.resolve("/v2/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (ping.statusCode() == 200) {
                    return new TestRegistry(process, base);
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("docker-registry did not come up: "
                + Files.readString(directory.resolve("registry.log")));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
