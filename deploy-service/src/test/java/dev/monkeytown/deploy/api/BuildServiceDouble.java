package dev.monkeytown.deploy.api;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * build-service's two reads ({@code GET /api/v1/builds?pipeline=&state=succeeded}, {@code GET /api/v1/builds/{id}})
 * and artifact-service's blob read ({@code GET /v2/builds/<pipeline>/blobs/<digest>}) and deployment references
 * ({@code PUT /api/v1/artifacts/deployments/<env>}, kept for {@code GET /test/references/<env>}) on one local HTTP server, answering
 * only with the internal token, as the real services do. Blobs are stored by their real sha256 digest. Also starts the
 * test home and the state repository afresh, so each run seeds a new repository.
 */
public class BuildServiceDouble implements QuarkusTestResourceLifecycleManager {

    static final String TOKEN_HEADER = "X-Monkeytown-Internal-Token";
    /** The test profile's internal token (service-kit's microprofile-config.properties). */
    static final String TEST_TOKEN = "test-only-internal-token-not-secret";
    /** Builds by id, in the order added (newest last); this resource's own, filled by {@code POST /test/builds}. */
    private static final Map<String, Map<String, Object>> BUILDS = new ConcurrentHashMap<>();
    private static final List<String> ORDER = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final Map<String, byte[]> BLOBS = new ConcurrentHashMap<>();
    /** Bodies of PUT /api/v1/artifacts/deployments/<env>, by environment. */
    private static final Map<String, byte[]> REFERENCES = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;

    /**
     * A succeeded build of the site pipeline whose only output is {@code dist/site/index.html} = {@code page}, added
     * through the double's own {@code POST /test/builds} (the test may run in another class loader than this
     * resource, so it cannot share its fields).
     */
    static void succeeded(String id, String sha, String tree, String page) throws Exception {
        String base = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("monkeytown.deploy.builds.url", String.class);
        java.net.http.HttpResponse<String> added = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(base + "/test/builds"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(
                                Map.of("id", id, "sha", sha, "tree", tree, "page", page))))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (added.statusCode() != 204) {
            throw new IllegalStateException("the double did not take the build: " + added.statusCode());
        }
    }

    private static void add(String id, String sha, String tree, String page) {
        byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
        String digest = digest(bytes);
        BLOBS.put(digest, bytes);
        BUILDS.put(id, Map.of("id", id, "pipeline", "site", "sha", sha, "tree", tree, "state", "succeeded", "outputs",
                List.of(Map.of("path", "dist/site/index.html", "digest", digest, "size", bytes.length)),
                "attempts", List.of(), "artifact", Map.of("repository", "builds/site", "manifestDigest",
                        manifest(id))));
        ORDER.add(id);
    }

    @Override
    public Map<String, String> start() {
        try {
            // the test profile's data directory and state repository (state-store-quarkus' test default)
            for (Path old : List.of(Path.of("target/test-home"), Path.of("target/test-state-repo"))) {
                if (Files.exists(old)) {
                    try (Stream<Path> paths = Files.walk(old)) {
                        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(path);
                        }
                    }
                }
            }
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::answer);
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("monkeytown.deploy.builds.url", base, "monkeytown.deploy.artifacts.url", base);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!TEST_TOKEN.equals(exchange.getRequestHeaders().getFirst(TOKEN_HEADER))
                    && !exchange.getRequestURI().getPath().startsWith("/test/")) {
                send(exchange, 401, "{}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            URI uri = exchange.getRequestURI();
            String path = uri.getPath();
            if (path.equals("/test/builds") && exchange.getRequestMethod().equals("POST")) {
                @SuppressWarnings("unchecked")
                Map<String, String> build = JSON.readValue(exchange.getRequestBody(), Map.class);
                add(build.get("id"), build.get("sha"), build.get("tree"), build.get("page"));
                send(exchange, 204, new byte[0]);
            } else if (path.startsWith("/test/references/")) {
                byte[] seen = REFERENCES.get(path.substring("/test/references/".length()));
                send(exchange, 200, seen == null ? "{}".getBytes(StandardCharsets.UTF_8) : seen);
            } else if (path.startsWith("/api/v1/artifacts/deployments/") && exchange.getRequestMethod().equals("PUT")) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                JSON.readTree(body); // must be JSON
                REFERENCES.put(path.substring("/api/v1/artifacts/deployments/".length()), body);
                send(exchange, 200, body);
            } else if (path.equals("/api/v1/builds")) {
                Map<String, String> query = query(uri.getRawQuery());
                List<Map<String, Object>> page = new ArrayList<>();
                for (int i = ORDER.size() - 1; i >= 0; i--) {
                    Map<String, Object> build = BUILDS.get(ORDER.get(i));
                    if (build.get("pipeline").equals(query.get("pipeline"))
                            && build.get("state").equals(query.get("state"))) {
                        page.add(build);
                    }
                }
                send(exchange, 200, JSON.writeValueAsBytes(Map.of("builds", page)));
            } else if (path.startsWith("/api/v1/builds/")) {
                Map<String, Object> build = BUILDS.get(path.substring("/api/v1/builds/".length()));
                send(exchange, build == null ? 404 : 200, JSON.writeValueAsBytes(build == null ? Map.of() : build));
            } else if (path.startsWith("/v2/builds/site/blobs/")) {
                byte[] blob = BLOBS.get(path.substring("/v2/builds/site/blobs/".length()));
                send(exchange, blob == null ? 404 : 200, blob == null ? new byte[0] : blob);
            } else {
                send(exchange, 404, new byte[0]);
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new java.util.HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                values.put(kv[0], kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return values;
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The manifest digest the double says build {@code id}'s outputs were stored under. */
    static String manifest(String id) {
        return digest(("manifest of " + id).getBytes(StandardCharsets.UTF_8));
    }

    /** What deploy-service last told the registry {@code environment} references, as the double received it. */
    static String references(String environment) throws Exception {
        String base = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("monkeytown.deploy.artifacts.url", String.class);
        return java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(base + "/test/references/" + environment)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    static String digest(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
