package dev.monkeytown.gateway.registry;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * artifact-service's {@code /v2/} as the gateway sees it: a real Vert.x server answering the OCI endpoints the way the
 * service does (status, {@code Location}, {@code Range}, {@code Docker-Content-Digest}, {@code Docker-Upload-UUID},
 * {@code OCI-Subject}, {@code OCI-Filters-Applied}, {@code Link}, and 401 with the Basic challenge when the gateway
 * sends no caller), and failing the way a service fails: {@code /v2/broken/...} drops the connection,
 * {@code /v2/slow/...} answers only after {@link #SLOW_MILLIS}. Bodies are counted, never kept.
 * <p>
 * Every answer says what the service received, in {@code X-Stub-*} headers: method, URI, the identity headers
 * ({@code none} when absent), whether an {@code Authorization} header came through, the body's size and content type.
 */
public class RegistryStub implements QuarkusTestResourceLifecycleManager {

    static final int BLOB_SIZE = 1024 * 1024;
    /** How long {@code /v2/slow/...} takes to answer once the request is in: more than the response timeout. */
    static final long SLOW_MILLIS = 4000;
    static final String DIGEST = "sha256:" + "ab".repeat(32);
    static final String SUBJECT = "sha256:" + "cd".repeat(32);
    static final String UNAUTHORIZED = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}";
    static final String CHALLENGE = "Basic realm=\"Monkeytown registry\", charset=\"UTF-8\"";

    private static final Pattern UPLOADS = Pattern.compile("/v2/(.+)/blobs/uploads/?");
    private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([^/]+)");
    private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/(sha256:[0-9a-f]{64})");
    private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
    private static final Pattern REFERRERS = Pattern.compile("/v2/(.+)/referrers/([^/]+)");
    private static final Pattern TAGS = Pattern.compile("/v2/(.+)/tags/list");
    private static final String PREFIX = "/artifact-service";

    private Vertx vertx;

    @Override
    public int order() {
        return 100; // after the module's global DownstreamServices (WireMock): this URL wins for artifact-service
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server;
        try {
            server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").toCompletionStage()
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("registry stub did not start", e);
        }
        String base = "http://127.0.0.1:" + server.actualPort() + PREFIX;
        return Map.of("monkeytown.gateway.health.services.artifact-service.url", base,
                "monkeytown.gateway.health.services.artifact-service.management-url", base);
    }

    private void handle(HttpServerRequest request) {
        String path = request.path().startsWith(PREFIX) ? request.path().substring(PREFIX.length()) : request.path();
        if (path.startsWith("/v2/broken/")) {
            request.connection().close(); // a service that died mid-request
            return;
        }
        if (path.equals("/q/openapi")) {
            request.response().putHeader("Content-Type", "application/json").end("{\"openapi\":\"3.1.0\",\"paths\":{"
                    + "\"/api/v1/artifacts\":{\"get\":{\"responses\":{\"200\":{\"description\":\"ok\"}}}},"
                    + "\"/v2/\":{\"get\":{\"responses\":{\"200\":{\"description\":\"ok\"}}}}}}");
            return;
        }
        long[] received = {0};
        request.handler(chunk -> received[0] += chunk.length());
        request.endHandler(end -> {
            if (path.startsWith("/v2/slow/")) { // a blob being stored and committed takes a while
                vertx.setTimer(SLOW_MILLIS, timer -> answer(request, path, received[0]));
            } else {
                answer(request, path, received[0]);
            }
        });
    }

    private void answer(HttpServerRequest request, String path, long bodyBytes) {
        HttpServerResponse response = request.response();
        response.putHeader("Docker-Distribution-API-Version", "registry/2.0")
                .putHeader("X-Stub-Method", request.method().name())
                .putHeader("X-Stub-Uri", request.uri())
                .putHeader("X-Stub-User", orNone(request.getHeader("X-Monkeytown-User")))
                .putHeader("X-Stub-Role", orNone(request.getHeader("X-Monkeytown-Role")))
                .putHeader("X-Stub-Scope", orNone(request.getHeader("X-Monkeytown-Scope")))
                .putHeader("X-Stub-Authorization", request.headers().contains("Authorization") ? "sent" : "none")
                .putHeader("X-Stub-Body-Bytes", Long.toString(bodyBytes))
                .putHeader("X-Stub-Content-Type", orNone(request.getHeader("Content-Type")));
        String role = request.getHeader("X-Monkeytown-Role");
        if (role == null || role.equals("anonymous")) {
            response.setStatusCode(401).putHeader("WWW-Authenticate", CHALLENGE)
                    .putHeader("Content-Type", "application/json").end(UNAUTHORIZED);
            return;
        }
        HttpMethod method = request.method();
        Matcher m;
        if (path.equals("/v2/") || path.equals("/v2")) {
            json(response, 200, "{}");
        } else if ((m = UPLOADS.matcher(path)).matches() && method == HttpMethod.POST) {
            String digest = request.getParam("digest");
            if (digest != null) {
                response.putHeader("Location", "/v2/" + m.group(1) + "/blobs/" + digest)
                        .putHeader("Docker-Content-Digest", digest).setStatusCode(201).end();
            } else {
                response.putHeader("Location", "/v2/" + m.group(1) + "/blobs/uploads/u-1").putHeader("Range", "0-0")
                        .putHeader("Docker-Upload-UUID", "u-1").setStatusCode(202).end();
            }
        } else if ((m = UPLOAD.matcher(path)).matches() && method == HttpMethod.PATCH) {
            response.putHeader("Location", "/v2/" + m.group(1) + "/blobs/uploads/" + m.group(2))
                    .putHeader("Range", "0-" + (bodyBytes - 1)).putHeader("Docker-Upload-UUID", m.group(2))
                    .setStatusCode(202).end();
        } else if ((m = UPLOAD.matcher(path)).matches() && method == HttpMethod.PUT) {
            String digest = request.getParam("digest");
            response.putHeader("Location", "/v2/" + m.group(1) + "/blobs/" + digest)
                    .putHeader("Docker-Content-Digest", digest).setStatusCode(201).end();
        } else if ((m = BLOB.matcher(path)).matches() && (method == HttpMethod.GET || method == HttpMethod.HEAD)) {
            blob(request, response, m.group(2));
        } else if ((m = MANIFEST.matcher(path)).matches() && method == HttpMethod.PUT) {
            response.putHeader("Location", "/v2/" + m.group(1) + "/manifests/" + DIGEST)
                    .putHeader("Docker-Content-Digest", DIGEST).putHeader("OCI-Subject", SUBJECT)
                    .setStatusCode(201).end();
        } else if ((m = MANIFEST.matcher(path)).matches() && (method == HttpMethod.GET || method == HttpMethod.HEAD)) {
            response.putHeader("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                    .putHeader("Docker-Content-Digest", DIGEST).end("{\"schemaVersion\":2}");
        } else if ((m = MANIFEST.matcher(path)).matches() && method == HttpMethod.DELETE) {
            response.setStatusCode(202).end();
        } else if ((m = REFERRERS.matcher(path)).matches() && method == HttpMethod.GET) {
            if (request.getParam("artifactType") != null) {
                response.putHeader("OCI-Filters-Applied", "artifactType");
            }
            response.putHeader("Content-Type", "application/vnd.oci.image.index.v1+json")
                    .end("{\"schemaVersion\":2,\"manifests\":[]}");
        } else if ((m = TAGS.matcher(path)).matches() && method == HttpMethod.GET) {
            response.putHeader("Link", "</v2/" + m.group(1) + "/tags/list?n=1&last=a>; rel=\"next\"");
            json(response, 200, "{\"name\":\"" + m.group(1) + "\",\"tags\":[\"a\"]}");
        } else {
            json(response, 404, "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"no such endpoint\"}]}");
        }
    }

    /** {@link #BLOB_SIZE} bytes, honouring {@code Range: bytes=a-b}. */
    private static void blob(HttpServerRequest request, HttpServerResponse response, String digest) {
        response.putHeader("Docker-Content-Digest", digest).putHeader("Content-Type", "application/octet-stream");
        String range = request.getHeader("Range");
        long first = 0;
        long last = BLOB_SIZE - 1;
        if (range != null && range.startsWith("bytes=")) {
            String[] bounds = range.substring(6).split("-");
            first = Long.parseLong(bounds[0]);
            last = Long.parseLong(bounds[1]);
            response.setStatusCode(206).putHeader("Content-Range", "bytes " + first + "-" + last + "/" + BLOB_SIZE);
        }
        int length = (int) (last - first + 1);
        response.putHeader("Content-Length", Integer.toString(length));
        if (request.method() == HttpMethod.HEAD) {
            response.end();
        } else {
            response.end(Buffer.buffer(new byte[length]));
        }
    }

    private static void json(HttpServerResponse response, int status, String body) {
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }

    private static String orNone(String value) {
        return value == null ? "none" : value;
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }
}
