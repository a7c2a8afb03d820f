package dev.monkeytown.github;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A GitHub stand-in on localhost that answers from a test's script, stamps every answer with a {@code Date} on a
 * clock of its own (off by {@code skew} from the local one, as a test says), and records what arrived and when.
 * <p>
 * For what the GitHub double cannot play yet: a skewed {@code Date}, refusals per rate-limit resource, GraphQL
 * {@code RATE_LIMITED} answers and a secondary limit shared by several clients of one token. Once the double has
 * them, the tests using this class move to it.
 * <p>
 * A plain socket speaking just enough HTTP/1.1 (one request per connection) rather than the JDK's
 * {@code com.sun.net.httpserver}, which overwrites the {@code Date} header with its own clock.
 */
final class ScriptedGitHub implements AutoCloseable {

    /** One request as it arrived; {@code nanos} is the local monotonic clock at arrival. */
    record Arrival(String method, String path, Map<String, List<String>> headers, String body, long nanos) {

        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name)).flatMap(v -> v.stream().findFirst());
        }
    }

    record Answer(int status, Map<String, String> headers, String body) {

        static Answer ok(String json) {
            return new Answer(200, Map.of(), json);
        }
    }

    @FunctionalInterface
    interface Script {
        Answer answer(Arrival arrival);
    }

    static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final ServerSocket server;
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final List<Arrival> arrivals = new ArrayList<>();
    private final Duration skew;
    private volatile Script script = arrival -> Answer.ok("{}");

    private ScriptedGitHub(Duration skew) {
        this.skew = skew;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        workers.execute(this::accept);
    }

    static ScriptedGitHub start() {
        return new ScriptedGitHub(Duration.ZERO);
    }

    /** GitHub's clock runs {@code skew} ahead of ours (behind if negative). */
    static ScriptedGitHub withClockSkew(Duration skew) {
        return new ScriptedGitHub(skew);
    }

    ScriptedGitHub script(Script script) {
        this.script = script;
        return this;
    }

    String apiUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** GitHub's time now, as its {@code Date} headers say it. */
    Instant gitHubNow() {
        return Instant.now().plus(skew);
    }

    synchronized List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket connection = server.accept();
                workers.execute(() -> serve(connection));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            InputStream in = new BufferedInputStream(connection.getInputStream());
            String[] requestLine = line(in).split(" ");
            long nanos = System.nanoTime();
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                headers.computeIfAbsent(header.substring(0, colon).trim(), k -> new ArrayList<>())
                        .add(header.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("Content-Length", List.of("0")).get(0));
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            Arrival arrival = new Arrival(requestLine[0], URI.create(requestLine[1]).getPath(), headers, body, nanos);
            synchronized (this) {
                arrivals.add(arrival);
            }
            respond(connection.getOutputStream(), script.answer(arrival));
        } catch (IOException | RuntimeException broken) {
            // the client went away or sent something this stand-in does not speak; the test sees it as no answer
        }
    }

    private void respond(OutputStream out, Answer answer) throws IOException {
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Date", HTTP_DATE.format(gitHubNow()));
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.putAll(answer.headers());
        headers.put("Content-Length", String.valueOf(bytes.length));
        headers.put("Connection", "close");
        StringBuilder head = new StringBuilder("HTTP/1.1 " + answer.status() + " Scripted\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-request");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing a listening socket has nothing left to report
        }
        workers.shutdownNow();
    }
}
