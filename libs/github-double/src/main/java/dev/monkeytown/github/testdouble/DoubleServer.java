package dev.monkeytown.github.testdouble;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The double's HTTP listener on localhost: hands each request to the pipeline on a worker thread and writes what it
 * decides, or closes the connection without a word.
 * <p>
 * Why Vert.x rather than the JDK's {@code com.sun.net.httpserver}: the JDK server overwrites the {@code Date} header
 * with its own clock, and the double must send GitHub's (possibly skewed) one. Workers are not pooled to a fixed size,
 * since the pipeline holds requests open on purpose (late answers, silences) and a held request must not keep others
 * from being served, nor hide how many a client has in flight.
 */
final class DoubleServer {

    private final Function<IncomingRequest, Outcome> pipeline;
    private final LfsTransfers transfers;
    /** The Actions artifact storage host downloads are redirected to ({@link ActionsArtifactsApi#isStorage}). */
    private final java.util.function.Consumer<HttpServerRequest> artifactStorage;
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
            .setInternalBlockingPoolSize(1)
            .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                    .setClassPathResolvingEnabled(false)));
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "github-double");
        t.setDaemon(true);
        return t;
    });
    private HttpServer server;
    private volatile int port;

    DoubleServer(Function<IncomingRequest, Outcome> pipeline, LfsTransfers transfers,
            java.util.function.Consumer<HttpServerRequest> artifactStorage) {
        this.pipeline = pipeline;
        this.transfers = transfers;
        this.artifactStorage = artifactStorage;
    }

    int port() {
        return port;
    }

    synchronized void listen(int onPort) {
        HttpServer s = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(onPort)
                .setHandle100ContinueAutomatically(true));
        s.requestHandler(this::receive);
        server = await(s.listen());
        port = server.actualPort();
    }

    /** Closes the port and every open connection; requests being held are dropped. */
    synchronized void stop() {
        if (server != null) {
            await(server.close());
            server = null;
        }
    }

    synchronized void close() {
        stop();
        workers.shutdownNow();
        await(vertx.close());
    }

    private void receive(HttpServerRequest request) {
        if (LfsTransfers.isTransfer(request.path())) {
            // object bytes stream to and from disk; never gathered in memory like an API body
            transfers.handle(request, vertx, workers);
            return;
        }
        if (ActionsArtifactsApi.isStorage(request.path())) {
            artifactStorage.accept(request);
            return;
        }
        Context context = Vertx.currentContext();
        CompletableFuture<Void> clientGone = new CompletableFuture<>();
        request.connection().closeHandler(v -> clientGone.complete(null));
        request.body().onSuccess(body -> {
            IncomingRequest incoming = new IncomingRequest(request.method().name(), request.path(), request.query(),
                    headers(request.headers()), body.getBytes(), clientGone);
            try {
                workers.execute(() -> {
                    Outcome outcome = pipeline.apply(incoming);
                    try {
                        context.runOnContext(v -> send(request, outcome, clientGone));
                    } catch (RejectedExecutionException closed) {
                        // the double was closed while this request was held: nobody is listening for the answer
                    }
                });
            } catch (RejectedExecutionException closing) {
                request.connection().close();
            }
        }).onFailure(e -> request.connection().close());
    }

    private static void send(HttpServerRequest request, Outcome outcome, CompletableFuture<Void> clientGone) {
        if (clientGone.isDone()) {
            return; // the client gave up, or the double was taken down, while the request was held
        }
        if (!(outcome instanceof Outcome.Reply reply)) {
            request.connection().close(); // a hang-up: no status line, no headers, nothing
            return;
        }
        DoubleResponse answer = reply.response();
        HttpServerResponse response = request.response().setStatusCode(answer.status());
        answer.headers().forEach(response::putHeader);
        if (answer.body() == null) {
            response.end();
            return;
        }
        if (!answer.headers().containsKey("Content-Type")) {
            response.putHeader("Content-Type", "application/json; charset=utf-8");
        }
        response.end(Buffer.buffer(answer.body().toString()));
    }

    private static Map<String, List<String>> headers(MultiMap headers) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.names().forEach(name -> copy.put(name, headers.getAll(name)));
        return copy;
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("the double's listener failed: " + e.getMessage(), e);
        }
    }
}
