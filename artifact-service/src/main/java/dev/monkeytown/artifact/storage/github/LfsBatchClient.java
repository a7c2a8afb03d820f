package dev.monkeytown.artifact.storage.github;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.monkeytown.artifact.oci.Digest;

/**
 * The Git LFS batch API (git-lfs {@code docs/api/batch.md}) and its basic transfer adapter
 * ({@code docs/api/basic-transfers.md}) for one repository.
 * <p>
 * Why not through {@code GitHubAccess}: the LFS API lives on {@code github.com/<owner>/<repo>.git/info/lfs}, not
 * under the REST base that client is bound to; GitHub does not count LFS requests against the REST or GraphQL budgets
 * that client paces; and object transfers must stream hundreds of megabytes, where that client takes and returns whole
 * byte arrays. This client keeps the same manners: bounded waits, {@code Retry-After} obeyed, retries only for what
 * surely did not take effect or is safe to repeat (a batch request, an upload of content-addressed bytes), the token
 * never logged.
 */
public final class LfsBatchClient {

    static final String MEDIA_TYPE = "application/vnd.git-lfs+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI batchUrl;
    private final String authorization;
    private final HttpClient http;
    private final Duration unavailableAfter;
    private final MeterRegistry registry;

    public LfsBatchClient(String lfsUrl, String login, String token, Duration unavailableAfter,
            MeterRegistry registry) {
        String base = lfsUrl.endsWith("/") ? lfsUrl.substring(0, lfsUrl.length() - 1) : lfsUrl;
        this.batchUrl = URI.create(base + "/objects/batch");
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((login + ":" + token).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.unavailableAfter = unavailableAfter;
        this.registry = registry;
    }

    /** Upload actions per object: empty for an object GitHub already has (the spec: no actions, no upload). */
    Map<String, Map<String, LfsAction>> upload(Digest digest, long size) throws IOException {
        return batch("upload", digest, size);
    }

    Map<String, Map<String, LfsAction>> download(Digest digest, long size) throws IOException {
        return batch("download", digest, size);
    }

    private Map<String, Map<String, LfsAction>> batch(String operation, Digest digest, long size) throws IOException {
        byte[] body = JSON.writeValueAsBytes(Map.of("operation", operation, "transfers", List.of("basic"),
                "hash_algo", "sha256", "objects", List.of(Map.of("oid", digest.oid(), "size", size))));
        HttpRequest request = HttpRequest.newBuilder(batchUrl).timeout(Duration.ofSeconds(30))
                .header("Accept", MEDIA_TYPE).header("Content-Type", MEDIA_TYPE).header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<byte[]> response = sendRetrying("batch", request, HttpResponse.BodyHandlers.ofByteArray());
        Instant received = Instant.now();
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException e) {
            if (response.statusCode() == 200) {
                throw new LfsUnavailableException("GitHub LFS answered the " + operation + " batch with something"
                        + " that is not JSON", e);
            }
            answer = com.fasterxml.jackson.databind.node.MissingNode.getInstance(); // an error page: the status says it
        }
        if (response.statusCode() != 200) {
            throw new LfsRefusedException(response.statusCode(), "GitHub LFS refused the " + operation + " (HTTP "
                    + response.statusCode() + "): " + answer.path("message").asText("no message"));
        }
        Map<String, Map<String, LfsAction>> actions = new HashMap<>();
        for (JsonNode object : answer.path("objects")) {
            if (object.has("error")) {
                int code = object.path("error").path("code").asInt(500);
                throw new LfsRefusedException(code, "GitHub LFS cannot " + operation + " object " + digest.oid() + ": "
                        + object.path("error").path("message").asText());
            }
            Map<String, LfsAction> perObject = new HashMap<>();
            object.path("actions").fields()
                    .forEachRemaining(e -> perObject.put(e.getKey(), action(e.getValue(), received)));
            actions.put(object.path("oid").asText(), perObject);
        }
        return actions;
    }

    /** Basic transfer upload: the file's bytes, streamed, with the action's headers. */
    void put(LfsAction upload, Path file, long size) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(upload.href()).timeout(Duration.ofMinutes(30))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(file));
        upload.headers().forEach(request::header);
        HttpResponse<byte[]> response = sendRetrying("upload", request.build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() / 100 != 2) {
            throw new LfsRefusedException(response.statusCode(),
                    "GitHub LFS storage refused the upload (HTTP " + response.statusCode() + ")");
        }
    }

    /** The verify callback: GitHub confirms it holds the object with that size. */
    void verify(LfsAction verify, Digest digest, long size) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(verify.href()).timeout(Duration.ofSeconds(30))
                .header("Accept", MEDIA_TYPE).header("Content-Type", MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        JSON.writeValueAsBytes(Map.of("oid", digest.oid(), "size", size))));
        verify.headers().forEach(request::header);
        HttpResponse<byte[]> response = sendRetrying("verify", request.build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new LfsRefusedException(response.statusCode(),
                    "GitHub LFS did not confirm object " + digest.oid() + " (HTTP " + response.statusCode() + ")");
        }
    }

    /** Basic transfer download of {@code [first, first + length)}, streamed; the caller closes it. */
    InputStream get(LfsAction download, long first, long length, long size) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(download.href()).timeout(Duration.ofMinutes(30)).GET();
        download.headers().forEach(request::header);
        boolean partial = first > 0 || length < size;
        if (partial) {
            request.header("Range", "bytes=" + first + "-" + (first + length - 1));
        }
        HttpResponse<InputStream> response = sendRetrying("download", request.build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() == 206) {
            return response.body();
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new LfsRefusedException(response.statusCode(),
                    "GitHub LFS storage refused the download (HTTP " + response.statusCode() + ")");
        }
        InputStream whole = response.body();
        if (partial) {
            // the storage host ignored the range: skip to it and stop at its end
            whole.skipNBytes(first);
            return new BoundedInputStream(whole, length);
        }
        return whole;
    }

    private <T> HttpResponse<T> sendRetrying(String operation, HttpRequest request,
            HttpResponse.BodyHandler<T> handler) throws IOException {
        long deadline = System.nanoTime() + unavailableAfter.toNanos();
        Duration pause = Duration.ofMillis(200);
        IOException last = null;
        Optional<Duration> advised = Optional.empty();
        while (true) {
            try {
                HttpResponse<T> response = http.send(request, handler);
                int status = response.statusCode();
                count(operation, status);
                boolean transient_ = status == 429 || status == 500 || status == 502 || status == 503
                        || status == 504;
                if (!transient_) {
                    return response;
                }
                advised = retryAfter(response);
                pause = advised.orElse(pause);
                closeQuietly(response);
                last = new IOException("GitHub LFS answered HTTP " + status + " to the " + operation);
            } catch (ConnectException e) {
                count(operation, 0);
                last = e;
            } catch (IOException e) {
                count(operation, 0);
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LfsUnavailableException("interrupted during the LFS " + operation, e);
            }
            if (System.nanoTime() + pause.toNanos() > deadline) {
                throw new LfsUnavailableException("GitHub LFS did not complete the " + operation + " within "
                        + unavailableAfter.toSeconds() + " s: " + last.getMessage()
                        + advised.map(a -> " (it asked for " + a.toSeconds() + " s)").orElse(""), last, advised);
            }
            sleep(pause);
            pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                    ? Duration.ofSeconds(10)
                    : pause.multipliedBy(2);
        }
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(1, Long.parseLong(value.trim()))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private static void closeQuietly(HttpResponse<?> response) {
        if (response.body() instanceof InputStream in) {
            try {
                in.close();
            } catch (IOException e) {
                // nothing to keep
            }
        }
    }

    private static void sleep(Duration pause) throws LfsUnavailableException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LfsUnavailableException("interrupted while waiting to retry", e);
        }
    }

    private void count(String operation, int status) {
        String outcome = status == 0
                ? "unreachable"
                : status / 100 == 2
                        ? "ok"
                        : status == 429
                                ? "rate_limited"
                                : status >= 500 ? "server_error" : "client_error";
        Counter.builder("monkeytown.artifacts.lfs.requests").description("Requests to GitHub's LFS API and storage")
                .tag("operation", operation).tag("outcome", outcome).register(registry).increment();
    }

    /** An action, its expiry read as git-lfs does: {@code expires_in} after our own time first, else {@code expires_at}. */
    static LfsAction action(JsonNode node, Instant received) {
        Map<String, String> headers = new HashMap<>();
        node.path("header").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        Optional<Instant> expiresAt = Optional.empty();
        if (node.path("expires_in").canConvertToLong()) {
            expiresAt = Optional.of(received.plusSeconds(node.path("expires_in").asLong()));
        } else if (node.path("expires_at").isTextual()) {
            try {
                expiresAt = Optional.of(OffsetDateTime.parse(node.path("expires_at").asText()).toInstant());
            } catch (DateTimeParseException e) {
                expiresAt = Optional.empty(); // unreadable: used as if it did not expire; the storage host judges
            }
        }
        return new LfsAction(URI.create(node.path("href").asText()), Map.copyOf(headers), expiresAt);
    }
}
