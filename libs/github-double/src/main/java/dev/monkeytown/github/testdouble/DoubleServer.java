package dev.monkeytown.github.testdouble;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The double's HTTP listener on localhost: hands each request to the pipeline and writes what it decides, or closes
 * the connection without a word. Workers are not pooled to a fixed size, since the pipeline holds requests open on
 * purpose (late answers, silences) and a held request must not keep others from being served.
 */
final class DoubleServer {

    private final Function<IncomingRequest, Outcome> pipeline;
    private volatile HttpServer server;
    private volatile ExecutorService workers;
    private volatile int port;

    DoubleServer(Function<IncomingRequest, Outcome> pipeline) {
        this.pipeline = pipeline;
    }

    int port() {
        return port;
    }

    synchronized void listen(int onPort) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 256);
            workers = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "github-double");
                t.setDaemon(true);
                return t;
            });
            s.setExecutor(workers);
            s.createContext("/", this::exchange);
            s.start();
            server = s;
            port = s.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the port and every connection; requests being held are dropped. */
    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            workers.shutdownNow();
            server = null;
        }
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            IncomingRequest incoming = new IncomingRequest(exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders(), exchange.getRequestBody().readAllBytes());
            Outcome outcome = pipeline.apply(incoming);
            if (outcome instanceof Outcome.Reply reply) {
                write(exchange, reply.response());
            }
            // a hang-up: closing an exchange that sent no headers closes the connection without a response
        }
    }

    private static void write(HttpExchange exchange, DoubleResponse response) throws IOException {
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        if (response.body() == null) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        byte[] bytes = Json.MAPPER.writeValueAsBytes(response.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
