package dev.monkeytown.deploy.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.monkeytown.deploy.deployments.Artifact;

/**
 * Reads build outputs back from artifact-service's OCI registry API: {@code GET /v2/builds/<pipeline>/blobs/<digest>}
 * for each file, with the internal token. Every blob is checked against its digest while it is written, so a command
 * never deploys bytes other than the ones the build recorded; a path that would leave the folder is refused.
 */
public final class RegistryArtifacts implements ArtifactStore {

    private final URI base;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final HttpClient http;

    public RegistryArtifacts(URI base, Map<String, String> headers, Duration timeout) {
        this.base = base;
        this.headers = Map.copyOf(headers);
        this.timeout = timeout;
        // never followed: a redirect would carry the internal token wherever it points (artifact-service answers blobs
        // itself)
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public void materialise(List<Artifact> artifacts, Path directory) throws IOException {
        for (Artifact artifact : artifacts) {
            Path root = directory.resolve(artifact.pipeline()).normalize();
            for (Artifact.File file : artifact.files()) {
                Path target = root.resolve(file.path()).normalize();
                if (!target.startsWith(root) || target.equals(root)) {
                    throw new IOException("output path " + file.path() + " of build " + artifact.buildId()
                            + " leaves its folder");
                }
                Files.createDirectories(target.getParent());
                fetch("builds/" + artifact.pipeline(), file.digest(), target);
            }
        }
    }

    private void fetch(String repository, String digest, Path target) throws IOException {
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new IOException("not a sha256 digest: " + digest);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/v2/" + repository + "/blobs/" + digest))
                .timeout(timeout).GET();
        headers.forEach(request::header);
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + digest, e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("the registry answered " + response.statusCode() + " for " + repository + "@"
                        + digest);
            }
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream in = new DigestInputStream(body, sha256);
                    OutputStream out = Files.newOutputStream(target)) {
                in.transferTo(out);
            }
            String actual = "sha256:" + HexFormat.of().formatHex(sha256.digest());
            if (!actual.equals(digest)) {
                Files.deleteIfExists(target);
                throw new IOException("blob " + digest + " of " + repository + " arrived as " + actual);
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
