package dev.monkeytown.github.testdouble;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A GitHub API double on a real localhost port, for tests of anything that talks to GitHub.
 * <p>
 * Why its own HTTP server rather than WireMock: the double is a stateful Git host (objects, refs moved by
 * compare-and-swap, replicas, quotas), not a set of canned replies. In WireMock every route would be a
 * ResponseTransformer extension holding the same state; a plain server keeps each GitHub area a small class, starts in
 * milliseconds, and can be stopped and rebound on the same port, which is how tests play "GitHub is unreachable"
 * (connection refused) and "GitHub is back".
 * <p>
 * Every request is validated against GitHub's published API descriptions ({@link #violations()} should stay empty),
 * accounted in the {@link #ledger()} with its arrival time, and can be made to meet one of GitHub's bad days: lagging
 * reads, late or lost answers to writes, GraphQL errors, truncated listings, rate limits and outages. Each is switched
 * on per test by one method below; the module README lists them.
 */
public final class GitHubDouble implements AutoCloseable {

    private final Map<String, HostedRepository> repositories = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1000);
    private final CallLedger ledger = new CallLedger();
    private final List<String> violations = new ArrayList<>();
    private final Routes routes = new Routes();
    private final FaultPlan faults = new FaultPlan();
    private final ArmedFaults armed = new ArmedFaults();
    private final DoubleClock clock = new DoubleClock();
    private final ContentLimits contentLimits = new ContentLimits();
    private final PrimaryLimits primaryLimits = new PrimaryLimits();
    private final SecondaryLimiter secondaryLimiter = new SecondaryLimiter();
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "github-double-later");
        t.setDaemon(true);
        return t;
    });
    private final LfsStorage lfs = new LfsStorage();
    private final HostedStatuses statuses = new HostedStatuses();
    private final HostedArtifacts artifacts = new HostedArtifacts();
    private final DoubleServer server;
    private final String login;
    private volatile Duration readLag = Duration.ZERO;
    private volatile boolean lagNewCommits;

    private GitHubDouble(String login) {
        this.login = login;
        new GitDataApi(this).register(routes);
        new GraphQlApi(this).register(routes);
        new RepositoriesApi(this).register(routes);
        new UsersApi(this).register(routes);
        new ContentsApi(this).register(routes);
        new CompareApi(this).register(routes);
        new ActionsApi(this).register(routes);
        new IssuesApi(this).register(routes);
        new DeploymentsApi(this).register(routes);
        new StatusesApi(this, statuses).register(routes);
        new ActionsRerunsApi(this).register(routes);
        new ActionsJobsApi(this).register(routes);
        ActionsArtifactsApi actionsArtifacts = new ActionsArtifactsApi(this, artifacts, ledger);
        actionsArtifacts.register(routes);
        LfsTransfers transfers = new LfsTransfers(lfs, ledger, this::apiUrl);
        new LfsApi(this, lfs, transfers).register(routes);
        RequestPipeline pipeline = new RequestPipeline(routes, faults, armed, primaryLimits, secondaryLimiter, clock,
                ledger, this::violation, later);
        this.server = new DoubleServer(pipeline::serve, transfers, actionsArtifacts::serveStorage);
    }

    /** Starts on a free port, serving the token owner {@code monkeytown-bot}. */
    public static GitHubDouble start() {
        GitHubDouble double_ = new GitHubDouble("monkeytown-bot");
        double_.server.listen(0);
        return double_;
    }

    /** Adds an API area (e.g. Actions) to this double. */
    public GitHubDouble addArea(ApiArea area) {
        area.register(routes);
        return this;
    }

    /** The REST base URL, e.g. {@code http://127.0.0.1:41234}; GraphQL is at {@code /graphql} below it. */
    public String apiUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /**
     * The Git LFS API of a repository, {@code <base>/<owner>/<repo>.git/info/lfs} (on github.com:
     * {@code https://github.com/<owner>/<repo>.git/info/lfs}); its batch endpoint is {@code /objects/batch} below it.
     */
    public String lfsUrl(String owner, String name) {
        return apiUrl() + "/" + owner + "/" + name + ".git/info/lfs";
    }

    /** The LFS objects of every repository, with GitHub's storage and bandwidth quotas. */
    public LfsStorage lfs() {
        return lfs;
    }

    public String login() {
        return login;
    }

    /** The repository, created empty on first use. */
    public HostedRepository repository(String owner, String name) {
        return repositories.computeIfAbsent(owner + "/" + name,
                k -> new HostedRepository(owner, name, ids.incrementAndGet(), ids::incrementAndGet, () -> readLag,
                        () -> lagNewCommits));
    }

    /** The commit statuses posted to every repository ({@code POST .../statuses/{sha}}). */
    public HostedStatuses statuses() {
        return statuses;
    }

    /** The Actions artifacts of every repository's workflow runs; a test uploads them as a workflow would. */
    public HostedArtifacts artifacts() {
        return artifacts;
    }

    public CallLedger ledger() {
        return ledger;
    }

    /** Requests GitHub would have refused (unknown route, invalid body, bad GraphQL document); tests assert empty. */
    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    // --- rate limits and outages

    /**
     * Answers every request with {@code fault} until {@code window} has passed. The window ends on a whole second, as
     * {@code Retry-After} and {@code x-ratelimit-reset} can only say whole seconds. Returns when it ends.
     */
    public Instant limit(RateLimitFault fault, Duration window) {
        return faults.limit(fault, window);
    }

    /**
     * The primary budget for {@code resource} ({@code core}, {@code graphql}, {@code search}, {@code code_search},
     * ...) becomes {@code limit} requests per {@code window}, starting now. Each resource is spent and refused on its
     * own: past the limit, REST answers 403 "API rate limit exceeded for user ID 1." and GraphQL 200 with
     * {@code RATE_LIMITED}, both with {@code x-ratelimit-remaining: 0} and {@code x-ratelimit-reset}, while other
     * resources still work. {@code GET /rate_limit} reports every resource. Defaults are GitHub's (core and graphql
     * 5,000 an hour, search 30 a minute).
     */
    public void primaryLimit(String resource, int limit, Duration window) {
        primaryLimits.configure(resource, limit, window);
    }

    /**
     * GitHub's secondary limits per token ({@link SecondaryLimits#github()}, or lowered for a test): content-creating
     * requests per minute and per hour, and requests in flight. Refusals are 403 (or 429) with {@code Retry-After},
     * recorded in the ledger as {@link Refusal#SECONDARY_LIMIT}. Off by default ({@link SecondaryLimits#none()}).
     */
    public void secondaryLimits(SecondaryLimits limits) {
        secondaryLimiter.limits(limits);
    }

    /**
     * GitHub's clock runs {@code offset} ahead of this machine's (negative: behind): the {@code Date} header of every
     * answer, {@code x-ratelimit-reset}, {@code GET /rate_limit} and the dates GitHub stamps on commits it makes.
     * {@code Retry-After} stays in seconds, as GitHub sends it, so only a client that reads reset times with its own
     * clock waits the wrong time.
     */
    public void skewClock(Duration offset) {
        clock.skew(offset);
    }

    /** Delays every answer, so concurrent clients overlap (e.g. to see identical reads share one request). */
    public void latency(Duration latency) {
        faults.latency(latency);
    }

    /** Plays an outage with 503 answers (true) or ends it (false). */
    public void answerUnavailable(boolean unavailable) {
        faults.unavailable(unavailable);
    }

    /** Closes the port: clients get "connection refused" until {@link #bringBack()}. */
    public void takeDown() {
        server.stop();
    }

    /** Listens again on the same port, with all state kept. */
    public void bringBack() {
        server.listen(server.port());
    }

    // --- reads that lag, writes whose answer is late or lost, GraphQL errors, truncation

    /**
     * Reads of a ref (REST {@code GET git/ref/...}, contents at a branch, GraphQL refs and {@code <branch>:<path>}
     * expressions) keep answering its previous value for {@code lag} after a move, as GitHub's replicas trail the
     * primary. Applies to moves made while set; writes always see the primary. {@code Duration.ZERO} ends it.
     */
    public void lagReads(Duration lag) {
        lagReads(lag, false);
    }

    /**
     * As {@link #lagReads(Duration)}, and with {@code newCommitsToo} a commit such a move made reachable for the first
     * time is unknown to reads by its id for as long ({@code git/commits/<sha>}, contents {@code ?ref=<sha>}, compare:
     * 404), as GitHub answers right after a push. Off by default.
     */
    public void lagReads(Duration lag, boolean newCommitsToo) {
        this.lagNewCommits = newCommitsToo;
        this.readLag = lag;
    }

    /**
     * The next {@code count} writes are answered 502, as GitHub does when a request times out inside it: with
     * {@code afterApplying} the write took effect anyway (the ambiguous case a client must settle by reading back).
     */
    public void failNextWrites(int count, boolean afterApplying) {
        armed.arm(count, RequestPipeline.Exchange::write, Fate.instead(afterApplying,
                () -> DoubleResponse.error(502, "Server Error", "https://docs.github.com/rest"), false));
    }

    /**
     * The next write to {@code writePath} takes effect (with {@code afterApplying}) and is answered 502; then the next
     * {@code reads} requests to {@code readPath} are answered 503, as in an outage that began with that write: a client
     * that must read back to learn whether its write applied cannot, for a while. Other paths are served.
     */
    public void failWriteThenReads(String writePath, boolean afterApplying, String readPath, int reads) {
        armed.arm(1, exchange -> exchange.write() && exchange.request().path().equals(writePath),
                Fate.instead(afterApplying, () -> {
                    armed.arm(reads, exchange -> exchange.request().path().equals(readPath),
                            Fate.instead(false, () -> DoubleResponse.error(503, "Service Unavailable",
                                    "https://www.githubstatus.com"), false));
                    return DoubleResponse.error(502, "Server Error", "https://docs.github.com/rest");
                }, false));
    }

    /**
     * The next {@code count} reads of {@code path} are answered 404, as GitHub's replicas answer for an object made a
     * moment ago (a workflow run just dispatched) before they have it.
     */
    public void answerNextReadsNotFound(String path, int count) {
        armed.arm(count, exchange -> !exchange.write() && exchange.request().path().equals(path),
                Fate.instead(false, DoubleResponse::notFound, false));
    }

    /** The next {@code count} writes (REST or mutation) take effect at once but are answered only after {@code delay}. */
    public void answerNextWritesLate(int count, Duration delay) {
        armed.arm(count, RequestPipeline.Exchange::write, Fate.answeredLate(delay));
    }

    /**
     * The next {@code count} writes take effect at once, but the connection is held for {@code hangUpAfter} and then
     * closed without a response ({@code Duration.ZERO}: at once, like a reset; longer than the client's timeout: the
     * client gives up first).
     */
    public void applyNextWritesUnanswered(int count, Duration hangUpAfter) {
        armed.arm(count, RequestPipeline.Exchange::write,
                Fate.unanswered(Fate.Effect.NOW, Duration.ZERO, hangUpAfter));
    }

    /**
     * The next {@code count} writes are accepted but not answered (closed after {@code hangUpAfter}), and take effect
     * only {@code applyAfter} later, so a client that reads the ref at once still sees the old head. On GitHub this
     * window can reach its 10 s server timeout. A write applied late meets the repository as it is then (a commit on
     * a head that moved meanwhile is refused, silently).
     */
    public void applyNextWritesLater(int count, Duration applyAfter, Duration hangUpAfter) {
        armed.arm(count, RequestPipeline.Exchange::write, Fate.unanswered(Fate.Effect.LATER, applyAfter, hangUpAfter));
    }

    /**
     * As {@link #applyNextWritesUnanswered(int, Duration)}, for writes whose path matches {@code pathRegex} only (e.g.
     * a pattern ending in {@code /dispatches}: a workflow dispatch GitHub carried out but whose answer never arrived), while every other
     * request is served as usual.
     */
    public void applyNextWritesUnanswered(int count, Duration hangUpAfter, String pathRegex) {
        java.util.regex.Pattern path = java.util.regex.Pattern.compile(pathRegex);
        armed.arm(count, exchange -> exchange.write() && path.matcher(exchange.request().path()).matches(),
                Fate.unanswered(Fate.Effect.NOW, Duration.ZERO, hangUpAfter));
    }

    /**
     * The next {@code count} writes whose path matches {@code pathRegex} are refused as GitHub refuses a token that
     * lacks a permission (a GitHub App installation without {@code actions: write} dispatching a workflow): 403
     * {@code Resource not accessible by integration}, {@code x-accepted-github-permissions} naming what the endpoint
     * takes, and quota left — not a rate limit, so asking again gets the same answer. Nothing is applied.
     */
    public void refuseNextWritesForPermission(int count, String pathRegex, String acceptedPermissions) {
        java.util.regex.Pattern path = java.util.regex.Pattern.compile(pathRegex);
        armed.arm(count, exchange -> exchange.write() && path.matcher(exchange.request().path()).matches(),
                Fate.instead(false, () -> DoubleResponse.error(403, "Resource not accessible by integration",
                        "https://docs.github.com/rest").withHeader("x-accepted-github-permissions",
                                acceptedPermissions),
                        false));
    }

    /**
     * The next {@code count} writes whose path matches {@code pathRegex} are refused with 403 as an organisation
     * enforcing SAML single sign-on refuses a token not authorised for it ("Resource protected by organization SAML
     * enforcement"), nothing applied: no permission header, and the quota left — a refusal that ends once someone
     * authorises the token, not one that a different token permission would fix.
     */
    public void refuseNextWritesForSso(int count, String pathRegex) {
        java.util.regex.Pattern path = java.util.regex.Pattern.compile(pathRegex);
        armed.arm(count, exchange -> exchange.write() && path.matcher(exchange.request().path()).matches(),
                Fate.instead(false, () -> DoubleResponse.error(403, "Resource protected by organization SAML"
                        + " enforcement. You must grant your Personal Access token access to this organization.",
                        "https://docs.github.com/articles/authenticating-to-a-github-organization-with-saml-single-sign-on/"),
                        false));
    }

    /**
     * As {@link #failNextWrites(int, boolean)}, for writes whose path matches {@code pathRegex} only (e.g.
     * the commit statuses API: GitHub failing one kind of request while the rest works).
     */
    public void failNextWrites(int count, boolean afterApplying, String pathRegex) {
        java.util.regex.Pattern path = java.util.regex.Pattern.compile(pathRegex);
        armed.arm(count, exchange -> exchange.write() && path.matcher(exchange.request().path()).matches(),
                Fate.instead(afterApplying,
                        () -> DoubleResponse.error(502, "Server Error", "https://docs.github.com/rest"), false));
    }

    /** The next {@code count} writes are neither applied nor answered (closed after {@code hangUpAfter}). */
    public void dropNextWrites(int count, Duration hangUpAfter) {
        armed.arm(count, RequestPipeline.Exchange::write,
                Fate.unanswered(Fate.Effect.NEVER, Duration.ZERO, hangUpAfter));
    }

    /**
     * The next {@code count} GraphQL requests (queries or mutations) are answered with {@code failure}; with
     * {@code afterApplying} a mutation took effect before the error came back.
     */
    public void failNextGraphQl(int count, GraphQlFailure failure, boolean afterApplying) {
        armed.arm(count, RequestPipeline.Exchange::graphQl, Fate.instead(afterApplying,
                () -> failure.answer(primaryLimits.quota("graphql"), clock), failure.isRateLimit() && !afterApplying));
    }

    /**
     * {@code GET git/trees/{sha}?recursive=1} of a tree holding more than {@code entries} entries answers
     * {@code truncated: true} with the first {@code entries} only (GitHub: 100,000); subtrees read by their own sha,
     * and non-recursive reads, stay whole.
     */
    public void truncateRecursiveTreesAt(int entries) {
        contentLimits.recursiveTreeEntries(entries);
    }

    /** GraphQL {@code Blob.text} is cut at {@code bytes} with {@code isTruncated: true} (GitHub: 512,000). */
    public void truncateBlobTextAt(int bytes) {
        contentLimits.blobTextBytes(bytes);
    }

    /**
     * A GraphQL query whose answer would be larger than {@code bytes} is given up as GitHub gives up a query that runs
     * past its 10 s limit: HTTP 200, {@code data: null}, "Something went wrong while executing your query. This may be
     * the result of a timeout" ({@link GraphQlFailure#TIMEOUT}). Mutations are not affected.
     */
    public void timeOutGraphQlAnswersAbove(long bytes) {
        timeOutGraphQlAnswersAbove(bytes, GraphQlFailure.TIMEOUT);
    }

    /** As {@link #timeOutGraphQlAnswersAbove(long)}, in the given form: HTTP 200, or 502 as GitHub often sends it. */
    public void timeOutGraphQlAnswersAbove(long bytes, GraphQlFailure form) {
        contentLimits.graphQlAnswerBytes(bytes, form);
    }

    // --- the end of a test

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
    public void close() {
        server.close();
        later.shutdownNow();
    }

    // --- for the API areas

    Optional<HostedRepository> existing(String owner, String name) {
        return Optional.ofNullable(repositories.get(owner + "/" + name));
    }

    synchronized void violation(String description) {
        violations.add(description);
    }

    /** The author GitHub records for commits made by the token (GraphQL commits, Git Data commits naming nobody). */
    GitObjects.Person tokenOwner(Instant when) {
        return new GitObjects.Person(login, login + "@users.noreply.github.com", when.getEpochSecond());
    }

    DoubleClock clock() {
        return clock;
    }

    ContentLimits contentLimits() {
        return contentLimits;
    }

    PrimaryLimits primaryLimits() {
        return primaryLimits;
    }

    /** Stable per object, so an unchanged resource keeps its ETag. */
    String nodeId(String kind, String key) {
        return Base64.getEncoder().withoutPadding().encodeToString((kind + ":" + key).getBytes(StandardCharsets.UTF_8));
    }
}
