package dev.monkeytown.build.outputs;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The four calls of the OCI Distribution API a build needs to store its outputs: blob exists, monolithic blob upload
 * ({@code POST .../blobs/uploads/?digest=}, or the {@code PUT} to the session a registry answers with when it does not
 * take the body at once), manifest put by tag. Plain JDK HTTP on the caller's thread: the engine calls it from its own
 * pool, never from an event loop.
 *
 * @param headers sent with every request: towards artifact-service the internal token and who is pushing
 */
public final class OciPush {

    public static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

    private final URI base;
    private final Map<String, String> headers;
    private final HttpClient http;
    private final Duration timeout;

    public OciPush(URI base, Map<String, String> headers, Duration timeout) {
        this.base = Objects.requireNonNull(base, "base");
        this.headers = Map.copyOf(headers);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public boolean hasBlob(String repository, String digest) throws IOException {
        HttpResponse<Void> response = send(request(path(repository, "/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
        return response.statusCode() == 200;
    }

    /** Uploads the file as blob {@code digest} unless the repository already has it. */
    public void pushBlob(String repository, String digest, Path file) throws IOException {
        if (hasBlob(repository, digest)) {
            return;
        }
        HttpResponse<String> posted = send(request(path(repository, "/blobs/uploads/?digest=" + encode(digest)))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(file)), HttpResponse.BodyHandlers.ofString());
        if (posted.statusCode() == 201) {
            return;
        }
        if (posted.statusCode() != 202) {
            throw refused("blob upload of " + digest + " to " + repository, posted);
        }
        // the registry opened a session instead of taking the body: finish it with one PUT (still monolithic)
        String location = posted.headers().firstValue("Location")
                .orElseThrow(() -> new IOException("blob upload session without a Location"));
        URI session = base.resolve(location);
        String separator = session.getQuery() == null ? "?" : "&";
        HttpResponse<String> put = send(request(URI.create(session + separator + "digest=" + encode(digest)))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(file)), HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 201) {
            throw refused("blob upload of " + digest + " to " + repository, put);
        }
    }

    public void pushBlob(String repository, String digest, byte[] content) throws IOException {
        if (hasBlob(repository, digest)) {
            return;
        }
        HttpResponse<String> posted = send(request(path(repository, "/blobs/uploads/?digest=" + encode(digest)))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)), HttpResponse.BodyHandlers.ofString());
        if (posted.statusCode() == 201) {
            return;
        }
        if (posted.statusCode() != 202) {
            throw refused("blob upload of " + digest + " to " + repository, posted);
        }
        URI session = base.resolve(posted.headers().firstValue("Location")
                .orElseThrow(() -> new IOException("blob upload session without a Location")));
        String separator = session.getQuery() == null ? "?" : "&";
        HttpResponse<String> put = send(request(URI.create(session + separator + "digest=" + encode(digest)))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)), HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 201) {
            throw refused("blob upload of " + digest + " to " + repository, put);
        }
    }

    /** Puts the manifest under each tag; the registry's digest for it must be the one computed here. */
    public void pushManifest(String repository, byte[] manifest, String digest, List<String> tags) throws IOException {
        for (String tag : tags) {
            HttpResponse<String> put = send(request(path(repository, "/manifests/" + tag))
                    .header("Content-Type", MANIFEST_TYPE)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)), HttpResponse.BodyHandlers.ofString());
            if (put.statusCode() != 201) {
                throw refused("manifest " + repository + ":" + tag, put);
            }
            String answered = put.headers().firstValue("Docker-Content-Digest").orElse(digest);
            if (!answered.equals(digest)) {
                throw new IOException("the registry stored manifest " + repository + ":" + tag + " as " + answered
                        + ", not " + digest);
            }
        }
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout);
        headers.forEach(builder::header);
        return builder;
    }

    private URI path(String repository, String rest) {
        return base.resolve("/v2/" + repository + rest);
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body)
            throws IOException {
        try {
            return http.send(request.build(), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static IOException refused(String what, HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body();
        return new IOException(what + " refused: HTTP " + response.statusCode() + " "
                + body.substring(0, Math.min(300, body.length())));
    }
}
