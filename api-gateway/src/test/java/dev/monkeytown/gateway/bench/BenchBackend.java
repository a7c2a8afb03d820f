package dev.monkeytown.gateway.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * The backend of bench/gateway-proxy.sh: answers every request with the same small JSON list, as a cheap stand-in for
 * GET /api/v1/agents. JDK only, so the script runs it as a single source file ({@code java BenchBackend.java PORT})
 * and the direct and proxied runs hit the very same server.
 */
public final class BenchBackend {

    private static final byte[] BODY = "[{\"name\":\"greeter\"},{\"name\":\"changelog\"},{\"name\":\"docs-index\"}]"
            .getBytes(StandardCharsets.UTF_8);

    private BenchBackend() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors() * 2));
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, BODY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(BODY);
            }
        });
        server.start();
        System.out.println("bench backend on " + port);
    }
}
