package dev.monkeytown.websocket.bench;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;

/**
 * Fan-out of one topic ({@code runs}) to N WebSocket clients: websocket-service (a real process started from its jar,
 * fed by an in-process producer over SSE) side by side with a bare Vert.x broadcaster (a separate process running
 * {@code main("bare", port)}), measured the same way by clients in this JVM. Not a test: run bench/ws-fanout.sh.
 *
 * <p>
 * Per target and N: latency from publish ({@code System.nanoTime()} in this JVM, carried in the event) to each
 * client's receipt, over E events spaced 200 ms; the latest client per event; the throughput of a burst of B events
 * published back to back (deliveries per second until the last client has the last event); and the server process's
 * RSS with 0, 1k, 5k, 10k idle subscribed connections after {@code jcmd GC.run} and a 5 s settle.
 *
 * <p>
 * Args: {@code <quarkus-run.jar> [events=50] [clients=1000,10000] [burst=100]}.
 */
public final class WsFanoutBenchmark {

    private static final int WARMUP = 5;
    private static final String PAD = "x".repeat(200);
    private static final List<Integer> RSS_POINTS = List.of(1000, 5000, 10_000);

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final WebSocketClient wsClient = vertx.createWebSocketClient(new WebSocketClientOptions()
            .setMaxConnections(100_000).setConnectTimeout(30_000).setMaxFrameSize(65_536));
    private final HttpClient http = vertx.createHttpClient();
    private final int events;
    private final int burst;
    private final List<String> report = new ArrayList<>();
    private final List<String> rssReport = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private WsFanoutBenchmark(int events, int burst) {
        this.events = events;
        this.burst = burst;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("bare")) {
            bare(Integer.parseInt(args[1]));
            return;
        }
        String jar = args[0];
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int[] ns = Arrays.stream((args.length > 2 ? args[2] : "1000,10000").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        int burst = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        WsFanoutBenchmark bench = new WsFanoutBenchmark(events, burst);
        try {
            bench.run(jar, ns);
        } finally {
            bench.vertx.close();
        }
        System.exit(0);
    }

    // ---- the bare broadcaster (separate process) ----

    private static void bare(int port) throws Exception {
        Vertx vertx = Vertx.vertx();
        Set<ServerWebSocket> sockets = ConcurrentHashMap.newKeySet();
        String subscribed = "{\"type\":\"subscribed\",\"topic\":\"runs\",\"epoch\":null,\"offset\":0,\"recovered\":false}";
        vertx.createHttpServer().webSocketHandler(ws -> {
            sockets.add(ws);
            ws.closeHandler(v -> sockets.remove(ws));
            ws.textMessageHandler(text -> ws.writeTextMessage(subscribed));
        }).requestHandler(request -> request.body().onSuccess(body -> {
            String frame = body.toString();
            for (ServerWebSocket ws : sockets) {
                ws.writeTextMessage(frame);
            }
            request.response().end();
        })).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        System.out.println("bare broadcaster listening on " + port);
        new CountDownLatch(1).await();
    }

    // ---- the run ----

    private interface Target {
        String name();

        int port();

        long pid();

        /** Publishes one event carrying seq and the nanoTime of this call. */
        void publish(int seq, long sentNanos) throws Exception;
    }

    private void run(String jar, int[] ns) throws Exception {
        BenchProducer producer = new BenchProducer(vertx);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> extra = splitOpts(System.getenv("WS_BENCH_JAVA_OPTS"));
        int wsPort = freePort();
        List<String> wsCmd = new ArrayList<>(List.of(java));
        wsCmd.addAll(extra);
        wsCmd.addAll(List.of("-Dquarkus.http.port=" + wsPort, "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.management.port=" + freePort(),
                "-Dmonkeytown.internal.token=bench-internal-token-0123456789",
                "-Dmonkeytown.ws.upstream.producers.agent-dispatcher.url=http://127.0.0.1:" + producer.port,
                "-Dmonkeytown.ws.upstream.producers.build-service.url=http://127.0.0.1:1",
                "-Dmonkeytown.ws.upstream.producers.deploy-service.url=http://127.0.0.1:1",
                "-Dmonkeytown.ws.upstream.producers.artifact-service.url=http://127.0.0.1:1",
                "-jar", jar));
        int barePort = freePort();
        List<String> bareCmd = new ArrayList<>(List.of(java));
        bareCmd.addAll(extra);
        bareCmd.addAll(List.of("-cp", System.getProperty("java.class.path"), WsFanoutBenchmark.class.getName(),
                "bare", String.valueOf(barePort)));
        Process ws = start(wsCmd, "ws-fanout-service.log");
        Process bare = start(bareCmd, "ws-fanout-bare.log");
        try {
            Target service = new Target() {
                public String name() {
                    return "websocket-service";
                }

                public int port() {
                    return wsPort;
                }

                public long pid() {
                    return ws.pid();
                }

                public void publish(int seq, long sentNanos) {
                    producer.log.publish("run.started", "r-" + seq, payload(seq, sentNanos));
                }
            };
            AtomicLong bareOffset = new AtomicLong();
            String bareEpoch = "bench-" + Long.toHexString(System.nanoTime());
            Target bareTarget = new Target() {
                public String name() {
                    return "bare Vert.x";
                }

                public int port() {
                    return barePort;
                }

                public long pid() {
                    return bare.pid();
                }

                public void publish(int seq, long sentNanos) {
                    // the same shape and size as websocket-service's event frame
                    String frame = "{\"type\":\"event\",\"topic\":\"runs\",\"epoch\":\"" + bareEpoch + "\",\"offset\":"
                            + bareOffset.incrementAndGet() + ",\"event\":\"run.started\",\"subject\":\"r-" + seq
                            + "\",\"time\":\"" + Instant.now() + "\",\"data\":{\"seq\":" + seq + ",\"sent\":"
                            + sentNanos + ",\"pad\":\"" + PAD + "\"}}";
                    // not awaited, like EventLog.publish for the service: a burst goes out back to back
                    http.request(HttpMethod.POST, barePort, "127.0.0.1", "/publish")
                            .compose(r -> r.send(Buffer.buffer(frame)))
                            .onFailure(e -> System.err.println("bare publish failed: " + e));
                }
            };
            Map<String, Result[]> results = new LinkedHashMap<>();
            for (Target target : List.of(service, bareTarget)) {
                awaitReady(target);
                results.put(target.name(), measure(target, ns));
            }
            print(ns, results);
        } finally {
            ws.destroy();
            bare.destroy();
            ws.waitFor(10, TimeUnit.SECONDS);
            bare.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Object> payload(int seq, long sentNanos) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("seq", seq);
        data.put("sent", sentNanos);
        data.put("pad", PAD);
        return data;
    }

    /** Waits until one client gets an event through the whole path (for the service: producer stream connected). */
    private void awaitReady(Target target) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            Clients probe = new Clients(1);
            try {
                probe.connect(target.port(), 1);
                for (int i = 0; i < 50 && probe.received.get() == 0; i++) {
                    target.publish(-1, System.nanoTime());
                    Thread.sleep(200);
                }
                if (probe.received.get() > 0) {
                    probe.closeAll();
                    return;
                }
            } catch (Exception notYet) {
                Thread.sleep(500);
            }
            probe.closeAll();
        }
        throw new IllegalStateException(target.name() + " never delivered an event; see target/*.log");
    }

    private record Result(int n, long[] all, long[] last, long missing, double burstPerSec) {
    }

    private Result[] measure(Target target, int[] ns) throws Exception {
        TreeSet<Integer> points = new TreeSet<>();
        Arrays.stream(ns).forEach(points::add);
        RSS_POINTS.stream().filter(p -> p <= points.last()).forEach(points::add);
        int max = points.last();
        Clients clients = new Clients(max);
        List<Result> results = new ArrayList<>();
        long rss0 = settledRss(target.pid());
        rssReport.add(String.format("| %s | 0 | %,d |", target.name(), rss0));
        long lastRss = rss0;
        int lastN = 0;
        try {
            for (int n : points) {
                long t0 = System.nanoTime();
                try {
                    clients.connect(target.port(), n);
                } catch (Exception e) {
                    notes.add(target.name() + ": connecting " + n + " clients failed after " + clients.open.get()
                            + " open: " + e);
                    break;
                }
                long connectMs = (System.nanoTime() - t0) / 1_000_000;
                long rss = settledRss(target.pid());
                diagnose(target, n);
                rssReport.add(String.format("| %s | %,d | %,d | %.1f | %.1f |", target.name(), n, rss,
                        (rss - rss0) / (double) n, (rss - lastRss) / (double) (n - lastN)));
                lastRss = rss;
                lastN = n;
                System.err.printf("%s: %d clients subscribed (%d ms), RSS %d KB%n", target.name(), n, connectMs, rss);
                if (Arrays.stream(ns).anyMatch(x -> x == n)) {
                    results.add(latency(target, clients, n));
                }
            }
        } finally {
            clients.closeAll();
        }
        return results.toArray(Result[]::new);
    }

    private Result latency(Target target, Clients clients, int n) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            target.publish(-1, System.nanoTime());
            Thread.sleep(200);
        }
        Thread.sleep(500);
        int total = events + burst;
        long[][] lat = new long[total][n];
        for (long[] row : lat) {
            Arrays.fill(row, -1);
        }
        long[] sent = new long[total];
        clients.record(lat);
        for (int e = 0; e < events; e++) {
            sent[e] = System.nanoTime();
            target.publish(e, sent[e]);
            Thread.sleep(200);
        }
        for (int e = events; e < total; e++) {
            sent[e] = System.nanoTime();
            target.publish(e, sent[e]);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (clients.recorded.get() < (long) total * n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(200);
        long missing = (long) total * n - clients.recorded.get();
        clients.record(null);
        long[] all = new long[events * n];
        long[] last = new long[events];
        int k = 0;
        for (int e = 0; e < events; e++) {
            long worst = -1;
            for (int i = 0; i < n; i++) {
                if (lat[e][i] >= 0) {
                    all[k++] = lat[e][i];
                    worst = Math.max(worst, lat[e][i]);
                }
            }
            last[e] = worst;
        }
        all = Arrays.copyOf(all, k);
        Arrays.sort(all);
        Arrays.sort(last);
        long lastReceipt = 0;
        long delivered = 0;
        for (int e = events; e < total; e++) {
            for (int i = 0; i < n; i++) {
                if (lat[e][i] >= 0) {
                    delivered++;
                    lastReceipt = Math.max(lastReceipt, sent[e] + lat[e][i]);
                }
            }
        }
        double perSec = delivered == 0 ? 0 : delivered / ((lastReceipt - sent[events]) / 1e9);
        System.err.printf("%s n=%d: p50 %.2f ms p99 %.2f ms, burst %.0f/s, missing %d%n", target.name(), n,
                pct(all, 50), pct(all, 99), perSec, missing);
        return new Result(n, all, last, missing, perSec);
    }

    // ---- clients (all in this JVM, on 2 event loops) ----

    private final class Clients {
        private final WebSocket[] sockets;
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger subscribed = new AtomicInteger();
        final AtomicLong received = new AtomicLong();
        final AtomicLong recorded = new AtomicLong();
        private volatile long[][] lat;

        Clients(int max) {
            sockets = new WebSocket[max];
        }

        void record(long[][] into) {
            recorded.set(0);
            lat = into;
        }

        /** Opens clients until {@code n} are open and subscribed to runs, at most 200 connecting at once. */
        void connect(int port, int n) throws Exception {
            int from = open.get();
            for (int start = from; start < n; start += 200) {
                int end = Math.min(n, start + 200);
                List<Future<WebSocket>> batch = new ArrayList<>();
                for (int i = start; i < end; i++) {
                    int index = i;
                    batch.add(wsClient.connect(port, "127.0.0.1", "/ws").onSuccess(ws -> {
                        sockets[index] = ws;
                        open.incrementAndGet();
                        ws.textMessageHandler(text -> onText(index, text));
                        ws.writeTextMessage("{\"type\":\"subscribe\",\"topic\":\"runs\"}");
                    }));
                }
                Future.all(batch).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (subscribed.get() < n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + subscribed.get() + " of " + n + " subscribed");
                }
                Thread.sleep(20);
            }
        }

        private void onText(int index, String text) {
            long now = System.nanoTime();
            if (text.startsWith("{\"type\":\"subscribed\"")) {
                subscribed.incrementAndGet();
                return;
            }
            long seq = field(text, "\"seq\":");
            if (seq == Long.MIN_VALUE) {
                return;
            }
            received.incrementAndGet();
            long[][] into = lat;
            if (into != null && seq >= 0 && seq < into.length) {
                into[(int) seq][index] = now - field(text, "\"sent\":");
                recorded.incrementAndGet();
            }
        }

        void closeAll() throws Exception {
            List<Future<Void>> closing = new ArrayList<>();
            for (int i = 0; i < sockets.length; i++) {
                if (sockets[i] != null) {
                    closing.add(sockets[i].close());
                    sockets[i] = null;
                }
            }
            Future.join(closing).toCompletionStage().toCompletableFuture().exceptionally(e -> null).get(60,
                    TimeUnit.SECONDS);
            open.set(0);
            subscribed.set(0);
            Thread.sleep(1000);
        }
    }

    private static long field(String text, String name) {
        int at = text.indexOf(name);
        if (at < 0) {
            return Long.MIN_VALUE;
        }
        int i = at + name.length();
        boolean negative = text.charAt(i) == '-';
        if (negative) {
            i++;
        }
        long value = 0;
        for (; i < text.length() && Character.isDigit(text.charAt(i)); i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return negative ? -value : value;
    }

    // ---- output ----

    private void print(int[] ns, Map<String, Result[]> results) {
        System.out.println();
        System.out.printf("### Fan-out of one topic (runs): %d events spaced 200 ms + a burst of %d back to back%n%n",
                events, burst);
        System.out.println("| target | clients | p50 ms | p99 ms | max ms | last client p50 ms | last client p99 ms "
                + "| burst deliveries/s | vs bare (burst) | missing |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Result[] bareResults = results.getOrDefault("bare Vert.x", new Result[0]);
        for (Map.Entry<String, Result[]> entry : results.entrySet()) {
            for (Result r : entry.getValue()) {
                String ratio = Arrays.stream(bareResults).filter(b -> b.n() == r.n() && b.burstPerSec() > 0)
                        .findFirst().map(b -> String.format("%.0f %%", 100 * r.burstPerSec() / b.burstPerSec()))
                        .orElse("–");
                System.out.printf("| %s | %,d | %.2f | %.2f | %.2f | %.2f | %.2f | %,.0f | %s | %d |%n", entry.getKey(),
                        r.n(), pct(r.all(), 50), pct(r.all(), 99), pct(r.all(), 100), pct(r.last(), 50),
                        pct(r.last(), 99), r.burstPerSec(), ratio, r.missing());
            }
        }
        System.out.println();
        System.out.println("### RSS with idle subscribed connections (after jcmd GC.run + 5 s)");
        System.out.println();
        System.out.println("| process | connections | RSS KB | KB/conn (from 0) | KB/conn (from previous row) |");
        System.out.println("|---|---:|---:|---:|---:|");
        rssReport.forEach(System.out::println);
        report.forEach(System.out::println);
        if (!notes.isEmpty()) {
            System.out.println();
            notes.forEach(n -> System.out.println("- " + n));
        }
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    // ---- processes ----

    private static Process start(List<String> cmd, String logName) throws Exception {
        Path log = Path.of("target", logName).toAbsolutePath();
        Files.createDirectories(log.getParent());
        System.err.println("+ " + String.join(" ", cmd.stream().map(c -> c.length() > 200 ? "<classpath>" : c)
                .toList()) + "   (log: " + log + ")");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static long settledRss(long pid) throws Exception {
        try {
            new ProcessBuilder("jcmd", String.valueOf(pid), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
        } catch (Exception noJcmd) {
            // settle without an explicit GC
        }
        Thread.sleep(5000);
        for (String line : Files.readAllLines(new File("/proc/" + pid + "/status").toPath())) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /**
     * With {@code WS_BENCH_DIAG=1}: where the memory of {@code n} connections goes. Saves the live-object histogram
     * and, when the process runs with {@code -XX:NativeMemoryTracking=summary}, the native memory summary under
     * {@code target/}.
     */
    private static void diagnose(Target target, int n) throws Exception {
        if (!"1".equals(System.getenv("WS_BENCH_DIAG"))) {
            return;
        }
        String name = target.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z-]", "-");
        for (String command : List.of("GC.class_histogram", "VM.native_memory")) {
            Path out = Path.of("target", "ws-diag-" + name + "-" + n + "-" + command + ".txt");
            new ProcessBuilder("jcmd", String.valueOf(target.pid()), command).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start().waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static List<String> splitOpts(String opts) {
        return opts == null || opts.isBlank() ? List.of() : List.of(opts.trim().split("\\s+"));
    }
}
