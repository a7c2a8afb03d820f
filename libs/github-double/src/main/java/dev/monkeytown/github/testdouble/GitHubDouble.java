package dev.monkeytown.github.testdouble;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A GitHub API double on a real localhost port, for tests of anything that talks to GitHub.
 * <p>
 * Why the JDK's {@code com.sun.net.httpserver} rather than WireMock: the double is a stateful Git host (objects, refs
 * moved by compare-and-swap, quotas), not a set of canned replies. In WireMock every route would be a
 * ResponseTransformer extension holding the same state, plus Jetty and WireMock's stub model in between; a plain
 * server keeps each GitHub area a small class, starts in milliseconds, and can be stopped and rebound on the same port,
 * which is how tests play "GitHub is unreachable" (connection refused) and "GitHub is back".
 * <p>
 * Every request is validated against GitHub's published API description ({@link #violations()} should stay empty),
 * accounted in the {@link #ledger()} (counted read, 304, write, rejected) with its arrival time, and can be refused
 * with GitHub's rate-limit answers for a window ({@link #limit}).
 */
public final class GitHubDouble implements AutoCloseable {

    private final Map<String, HostedRepository> repositories = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1000);
    private final CallLedger ledger = new CallLedger();
    private final List<String> violations = new ArrayList<>();
    private final Routes routes = new Routes();
    private final RestApiDescription restApi = new RestApiDescription();
    private final Quota core = new Quota("core");
    private final Quota graphql = new Quota("graphql");
    private final String login;

    private volatile HttpServer server;
    private volatile ExecutorService workers;
    private volatile int port;
    private final FaultPlan faults = new FaultPlan();
    private final DoubleClock clock = new DoubleClock();

    private GitHubDouble(String login) {
        this.login = login;
        new GitDataApi(this).register(routes);
        new GraphQlApi(this).register(routes);
        new RepositoriesApi(this).register(routes);
        new UsersApi(this).register(routes);
        new ContentsApi(this).register(routes);
        new ActionsApi(this).register(routes);
    }

    /** Starts on a free port, serving the token owner {@code monkeytown-bot}. */
    public static GitHubDouble start() {
        GitHubDouble double_ = new GitHubDouble("monkeytown-bot");
        double_.listen(0);
        return double_;
    }

    /** Adds an API area (e.g. Actions) to this double. */
    public GitHubDouble addArea(ApiArea area) {
        area.register(routes);
        return this;
    }

    /** The REST base URL, e.g. {@code http://127.0.0.1:41234}; GraphQL is at {@code /graphql} below it. */
    public String apiUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String login() {
        return login;
    }

    /** The repository, created empty on first use. */
    public HostedRepository repository(String owner, String name) {
        return repositories.computeIfAbsent(owner + "/" + name,
                k -> new HostedRepository(owner, name, ids.incrementAndGet(), ids::incrementAndGet));
    }

    Optional<HostedRepository> existing(String owner, String name) {
        return Optional.ofNullable(repositories.get(owner + "/" + name));
    }

    public CallLedger ledger() {
        return ledger;
    }

    /** Requests GitHub would have refused (unknown route, invalid body, bad GraphQL input); tests assert empty. */
    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    synchronized void violation(String description) {
        violations.add(description);
    }

    /**
     * Answers every request with {@code fault} until {@code window} has passed. The window ends on a whole second, as
     * {@code Retry-After} and {@code x-ratelimit-reset} can only say whole seconds. Returns when it ends.
     */
    public Instant limit(RateLimitFault fault, Duration window) {
        return faults.limit(fault, window);
    }

    /** Delays every answer, so concurrent clients overlap (e.g. to see identical reads share one request). */
    public void latency(Duration latency) {
        faults.latency(latency);
    }

    /**
     * The next {@code count} writes are answered 502, as GitHub does when a request times out inside it: with
     * {@code afterApplying} the write took effect anyway (the ambiguous case a client must settle by reading back).
     */
    public void failNextWrites(int count, boolean afterApplying) {
        faults.failNextWrites(count, afterApplying);
    }

    /** Plays an outage with 503 answers (true) or ends it (false). */
    public void answerUnavailable(boolean unavailable) {
        faults.unavailable(unavailable);
    }

    /** Closes the port: clients get "connection refused" until {@link #bringBack()}. */
    public synchronized void takeDown() {
        server.stop(0);
        workers.shutdownNow();
    }

    /** Listens again on the same port, with all state kept. */
    public synchronized void bringBack() {
        listen(port);
    }

    /**
     * Stops the double, then fails if any request it saw is one GitHub would have refused: the end of every test that
     * talks to it, so a client drifting from GitHub's published API fails the build.
     */
    public void closeRequiringValidRequests() {
        List<String> seen;
        try {
            seen = violations();
        } finally {
            close();
        }
        if (!seen.isEmpty()) {
            throw new AssertionError("requests GitHub would refuse: " + seen);
        }
    }

    @Override
    public synchronized void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    private synchronized void listen(int onPort) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 64);
            workers = Executors.newFixedThreadPool(16, r -> {
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

    private void exchange(HttpExchange exchange) throws IOException {
        Instant arrivedAt = Instant.now();
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode json = null;
            if (raw.length > 0) {
                try {
                    json = Json.MAPPER.readTree(raw);
                } catch (IOException e) {
                    violation(method + " " + path + ": body is not JSON");
                    reply(exchange, DoubleResponse.error(400, "Problems parsing JSON", "https://docs.github.com/rest"),
                            arrivedAt, method, path, CallKind.COUNTED_READ);
                    return;
                }
            }
            DoubleRequest request = new DoubleRequest(method, URLDecoder.decode(path, StandardCharsets.UTF_8),
                    query(exchange.getRequestURI().getRawQuery()), exchange.getRequestHeaders(), json);
            Optional<Routes.Match> match = routes.find(method, request.path());
            boolean write = match.map(m -> m.route().write().test(request)).orElse(!method.equals("GET"));
            CallKind spent = write ? CallKind.WRITE : CallKind.COUNTED_READ;
            faults.delay();
            FaultPlan.WriteFailure failure = faults.writeFailure(write);
            DoubleResponse response = failure == FaultPlan.WriteFailure.BEFORE_APPLYING
                    ? FaultPlan.serverError()
                    : answer(request, match);
            if (failure == FaultPlan.WriteFailure.AFTER_APPLYING) {
                response = FaultPlan.serverError();
            }
            Quota quota = request.path().equals("/graphql") ? graphql : core;
            if (response.status() == 503) {
                spent = CallKind.UNAVAILABLE;
            } else if (response.headers().remove("x-double-rejected") != null) {
                spent = CallKind.REJECTED;
            } else {
                if (spent == CallKind.COUNTED_READ && response.status() == 200) {
                    String etag = etag(response.body());
                    response.headers().put("ETag", etag);
                    if (request.header("If-None-Match").filter(etag::equals).isPresent()) {
                        spent = CallKind.NOT_MODIFIED;
                        response = new DoubleResponse(304, null, response.headers());
                    }
                }
                // 304s and GET /rate_limit are free on GitHub
                if (spent != CallKind.NOT_MODIFIED && !request.path().equals("/rate_limit")) {
                    quota.spend();
                }
                response.headers().putAll(quota.headers());
            }
            reply(exchange, response, arrivedAt, method, path, spent);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            violation("double failed on " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + ": " + e);
            reply(exchange, DoubleResponse.error(500, "double failed: " + e, "https://docs.github.com/rest"),
                    arrivedAt, exchange.getRequestMethod(), exchange.getRequestURI().getPath(), CallKind.UNAVAILABLE);
        }
    }

    private DoubleResponse answer(DoubleRequest request, Optional<Routes.Match> match) {
        Optional<DoubleResponse> refusal = faults.refusal();
        if (refusal.isPresent()) {
            return refusal.get();
        }
        if (request.header("Authorization").isEmpty()) {
            violation(request.method() + " " + request.path() + " without Authorization");
            return DoubleResponse.error(401, "Requires authentication", "https://docs.github.com/rest");
        }
        if (!request.path().equals("/graphql")) {
            List<String> problems = restApi.violations(request);
            if (!problems.isEmpty()) {
                problems.forEach(this::violation);
                return match.isEmpty()
                        ? DoubleResponse.notFound()
                        : DoubleResponse.error(422, "Invalid request.\n\n" + String.join("\n", problems),
                                "https://docs.github.com/rest");
            }
        }
        return match.map(m -> m.route().handler().handle(request, m.matcher())).orElseGet(DoubleResponse::notFound);
    }

    private void reply(HttpExchange exchange, DoubleResponse response, Instant arrivedAt, String method, String path,
            CallKind kind) throws IOException {
        ledger.record(new RecordedRequest(arrivedAt, method, path, kind, response.status()));
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.getResponseHeaders().set("X-GitHub-Media-Type", "github.v3; format=json");
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

    /** The author GitHub records for commits made by the token (GraphQL commits, Git Data commits naming nobody). */
    GitObjects.Person tokenOwner(Instant when) {
        return new GitObjects.Person(login, login + "@users.noreply.github.com", when.getEpochSecond());
    }

    DoubleClock clock() {
        return clock;
    }

    Quota coreQuota() {
        return core;
    }

    Quota graphqlQuota() {
        return graphql;
    }

    /** Stable per object, so an unchanged resource keeps its ETag. */
    String nodeId(String kind, String key) {
        return java.util.Base64.getEncoder().withoutPadding()
                .encodeToString((kind + ":" + key).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                params.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    /** GitHub sends weak ETags derived from the body; so does the double. */
    private static String etag(JsonNode body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.MAPPER.writeValueAsBytes(body));
            return "W/\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
