package dev.monkeytown.github.testdouble;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The storage host behind LFS actions ({@code /lfs-storage/<owner>/<repo>/<oid>}), as GitHub's object storage behaves
 * for the basic transfer adapter: {@code PUT} the raw bytes, {@code GET} them back, each with the
 * {@code Authorization} header the batch answer granted for that object. Bodies stream to and from disk. An upload
 * whose bytes do not hash to its oid, or whose length is not the size it was granted for, is refused and not kept.
 * Transfers are recorded in the ledger as {@link CallKind#TRANSFER}: they cost no API quota.
 */
final class LfsTransfers {

    static final String PREFIX = "/lfs-storage/";
    private static final Pattern PATH = Pattern.compile(PREFIX + "([^/]+/[^/]+)/([0-9a-f]{64})");

    /** What an action's {@code Authorization} header allows, until {@code expiresAt} (real time). */
    private record Grant(String repository, String oid, long size, Instant expiresAt) {
    }

    private final LfsStorage storage;
    private final CallLedger ledger;
    private final Supplier<String> baseUrl;
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();

    LfsTransfers(LfsStorage storage, CallLedger ledger, Supplier<String> baseUrl) {
        this.storage = storage;
        this.ledger = ledger;
        this.baseUrl = baseUrl;
    }

    static boolean isTransfer(String path) {
        return path.startsWith(PREFIX);
    }

    String href(String repository, String oid) {
        return baseUrl.get() + PREFIX + repository + "/" + oid;
    }

    String grant(String repository, String oid, long size, Instant expiresAt) {
        String token = "RemoteAuth " + UUID.randomUUID();
        grants.put(token, new Grant(repository, oid, size, expiresAt));
        return token;
    }

    void handle(HttpServerRequest request, Vertx vertx, ExecutorService workers) {
        Instant arrivedAt = Instant.now();
        Matcher m = PATH.matcher(request.path());
        Optional<Grant> grant = Optional.ofNullable(request.getHeader("Authorization")).map(grants::get)
                .filter(g -> m.matches() && g.repository().equals(m.group(1)) && g.oid().equals(m.group(2)))
                .filter(g -> arrivedAt.isBefore(g.expiresAt()));
        String method = request.method().name();
        if (grant.isEmpty()) {
            finish(request, arrivedAt, 403, "{\"message\":\"Request has expired or is not authorized\"}");
            return;
        }
        if (method.equals("GET")) {
            download(request, grant.get(), arrivedAt);
        } else if (method.equals("PUT")) {
            upload(request, grant.get(), arrivedAt, vertx, workers);
        } else {
            finish(request, arrivedAt, 405, "{\"message\":\"Method not allowed\"}");
        }
    }

    private void download(HttpServerRequest request, Grant grant, Instant arrivedAt) {
        Path file = storage.file(grant.repository(), grant.oid());
        if (!Files.exists(file)) {
            finish(request, arrivedAt, 404, "{\"message\":\"Not found\"}");
            return;
        }
        storage.served(grant.size());
        record(request, arrivedAt, 200);
        request.response().putHeader("Content-Type", "application/octet-stream").sendFile(file.toString());
    }

    private void upload(HttpServerRequest request, Grant grant, Instant arrivedAt, Vertx vertx,
            ExecutorService workers) {
        Context context = Vertx.currentContext();
        Path spool;
        try {
            spool = storage.spool();
        } catch (IOException e) {
            finish(request, arrivedAt, 500, "{\"message\":\"storage failed\"}");
            return;
        }
        request.pause();
        vertx.fileSystem().open(spool.toString(), new OpenOptions().setWrite(true).setTruncateExisting(true))
                .compose(file -> request.pipeTo(file))
                .onComplete(piped -> workers.execute(() -> {
                    int status = piped.succeeded() ? keep(grant, spool) : 0;
                    context.runOnContext(v -> {
                        if (status == 0) {
                            request.connection().close();
                            return;
                        }
                        finish(request, arrivedAt, status, status == 200
                                ? null
                                : "{\"message\":\"The content does not match the object id and size\"}");
                    });
                }));
    }

    private int keep(Grant grant, Path spool) {
        try {
            long size = Files.size(spool);
            if (size != grant.size() || !sha256(spool).equals(grant.oid())) {
                Files.deleteIfExists(spool);
                return 400;
            }
            storage.keep(grant.repository(), grant.oid(), size, spool);
            return 200;
        } catch (IOException e) {
            return 500;
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[256 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void finish(HttpServerRequest request, Instant arrivedAt, int status, String json) {
        record(request, arrivedAt, status);
        var response = request.response().setStatusCode(status);
        if (json == null) {
            response.end();
        } else {
            response.putHeader("Content-Type", "application/json").end(json);
        }
    }

    private void record(HttpServerRequest request, Instant arrivedAt, int status) {
        ledger.record(new RecordedRequest(arrivedAt, request.method().name(), request.path(), CallKind.TRANSFER,
                status, Refusal.NONE));
    }
}
