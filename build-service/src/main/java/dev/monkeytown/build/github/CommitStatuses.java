package dev.monkeytown.build.github;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.monkeytown.build.builds.Attempt;
import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.builds.BuildState;
import dev.monkeytown.build.engine.BuildWatcher;
import dev.monkeytown.github.ApiResponse;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubUnavailableException;
import dev.monkeytown.runner.RunnerRef;

/**
 * Publishes the commit status {@code monkeytown/build/<pipeline>} on each build's commit (GitHub mode), so branch
 * protection can require it: {@code pending} once the first attempt's workflow run is known (its page is the link), then {@code success},
 * {@code failure} (failed or timed out) or {@code error} (cancelled) when the build ends. Two writes per build;
 * attempts in between leave it pending.
 *
 * <p>
 * Never in the build's way: statuses are handed over after the build's change is recorded and posted by a thread of
 * their own. One GitHub does not take for a passing reason (unreachable, rate limited, 5xx) is posted again later, the
 * wait doubling from {@code firstRetry} up to 10 minutes; only the latest wanted status of a commit and context is
 * kept, so a status overtaken by a newer one is never posted late over it. One GitHub refuses for good (422: the
 * commit's 1,000 statuses for the context are used up, or it does not know the commit; 403/404: the token lacks
 * {@code statuses:write}) is logged and dropped. Wanted statuses are in memory: after a restart the engine restates
 * every live build and each (pipeline, branch)'s last ended build, so a status not posted before it is posted then;
 * an instance that steps down closes its poster, so it never posts over the new leader's statuses.
 */
public final class CommitStatuses implements BuildWatcher, AutoCloseable {

    /** The context GitHub shows, and branch protection requires, for a pipeline. */
    public static String context(String pipeline) {
        return "monkeytown/build/" + pipeline;
    }

    /** What to post: the commit, its context, and the status. */
    public record Status(String sha, String context, String state, String description, Optional<String> targetUrl) {
        public Status {
            Objects.requireNonNull(sha, "sha");
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(targetUrl, "targetUrl");
        }
    }

    private record Wanted(Status status, int failures, Instant notBefore) {
    }

    private static final Logger LOG = Logger.getLogger(CommitStatuses.class);
    private static final Duration MAX_WAIT = Duration.ofMinutes(10);
    /** GitHub cuts a description at 140 characters. */
    private static final int MAX_DESCRIPTION = 140;

    private final GitHubAccess access;
    private final String repositoryPath;
    private final Duration firstRetry;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    /** (sha, context) → the latest status wanted there and not posted yet; insertion order is posting order. */
    private final Map<String, Wanted> wanted = new LinkedHashMap<>();
    /** (sha, context) → the status last wanted there, so a change that calls for the same one posts nothing. */
    private final Map<String, Status> lastWanted = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Status> eldest) {
            return size() > 10_000;
        }
    };
    private final ScheduledExecutorService poster;
    private final AtomicLong posted = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    /** @param repository {@code owner/name} */
    public CommitStatuses(GitHubAccess access, String repository, Duration firstRetry, Clock clock) {
        this.access = Objects.requireNonNull(access, "access");
        this.repositoryPath = "/repos/" + Objects.requireNonNull(repository, "repository");
        this.firstRetry = Objects.requireNonNull(firstRetry, "firstRetry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.poster = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "build-commit-statuses");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(50, firstRetry.toMillis() / 2);
        poster.scheduleWithFixedDelay(this::postDue, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * The status a recorded build change calls for, if any, unless it is the one last wanted there: called after every
     * committed change, never blocks.
     */
    @Override
    public void changed(Build build) {
        statusFor(build).ifPresent(status -> {
            synchronized (lastWanted) {
                String key = status.sha() + " " + status.context();
                if (status.equals(lastWanted.get(key))) {
                    return;
                }
                lastWanted.put(key, status);
            }
            want(status);
        });
    }

    /**
     * {@code pending} once the first attempt's workflow run is known (its page is the status's link), or once it runs;
     * the end state when the build ends after at least one attempt. Nothing else: a retry's attempts, a cancel before
     * any attempt.
     */
    public static Optional<Status> statusFor(Build build) {
        String context = context(build.pipeline());
        Optional<String> target = build.attempts().isEmpty()
                ? Optional.empty()
                : Optional.ofNullable(build.attempts().get(build.attempts().size() - 1).runner())
                        .flatMap(RunnerRef::url);
        int attempts = build.attempts().size();
        String tries = attempts == 1 ? "" : " after " + attempts + " attempts";
        return switch (build.state()) {
            case DISPATCHED, RUNNING -> attempts == 1 && (target.isPresent()
                    || build.state() == BuildState.RUNNING)
                            ? Optional.of(new Status(build.sha(), context, "pending", "build " + build.id()
                                    + " running", target))
                            : Optional.empty();
            case SUCCEEDED -> Optional.of(new Status(build.sha(), context, "success", "build " + build.id()
                    + " succeeded" + tries, target));
            case FAILED, TIMED_OUT -> Optional.of(new Status(build.sha(), context, "failure", "build " + build.id()
                    + " " + build.state().jsonName().replace('_', ' ') + tries + lastReason(build), target));
            case CANCELLED -> attempts == 0
                    ? Optional.empty()
                    : Optional.of(new Status(build.sha(), context, "error", "build " + build.id() + " cancelled"
                            + (build.cancelledBy() == null ? "" : " by " + build.cancelledBy()), target));
            default -> Optional.empty();
        };
    }

    private static String lastReason(Build build) {
        Attempt last = build.attempts().get(build.attempts().size() - 1);
        return last.failureClass() == null ? "" : " (" + last.failureClass().jsonName() + ")";
    }

    void want(Status status) {
        synchronized (wanted) {
            String key = status.sha() + " " + status.context();
            wanted.remove(key); // re-inserted last: posted after what was wanted before it
            wanted.put(key, new Wanted(status, 0, Instant.MIN));
        }
        try {
            poster.execute(this::postDue);
        } catch (RejectedExecutionException closed) {
            // shutting down: it stays unposted, as with a restart
        }
    }

    /** Statuses wanted and not posted yet (waiting for GitHub, or for their turn). */
    public int waiting() {
        synchronized (wanted) {
            return wanted.size();
        }
    }

    public long posted() {
        return posted.get();
    }

    /** Statuses GitHub refused for good. */
    public long dropped() {
        return dropped.get();
    }

    /** Posts every wanted status that is due, oldest wish first; runs on the poster thread only. */
    private void postDue() {
        while (true) {
            Map.Entry<String, Wanted> next;
            Instant now = clock.instant();
            synchronized (wanted) {
                next = wanted.entrySet().stream().filter(e -> !e.getValue().notBefore().isAfter(now)).findFirst()
                        .orElse(null);
            }
            if (next == null) {
                return;
            }
            Wanted attempt = next.getValue();
            Outcome outcome = post(attempt.status());
            synchronized (wanted) {
                if (wanted.get(next.getKey()) != attempt) {
                    continue; // a newer status was wanted meanwhile: that one is posted in its turn
                }
                if (outcome == Outcome.RETRY) {
                    int failures = attempt.failures() + 1;
                    Duration wait = firstRetry.multipliedBy(1L << Math.min(failures - 1, 20));
                    wanted.put(next.getKey(), new Wanted(attempt.status(), failures,
                            clock.instant().plus(wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait)));
                } else {
                    wanted.remove(next.getKey());
                }
            }
            if (outcome == Outcome.RETRY) {
                return; // GitHub is not taking statuses now: the others wait for the next round too
            }
        }
    }

    private enum Outcome {
        POSTED, DROPPED, RETRY
    }

    private Outcome post(Status status) {
        ObjectNode body = json.createObjectNode().put("state", status.state()).put("context", status.context())
                .put("description", status.description().length() > MAX_DESCRIPTION
                        ? status.description().substring(0, MAX_DESCRIPTION - 3) + "..."
                        : status.description());
        status.targetUrl().ifPresent(url -> body.put("target_url", url));
        ApiResponse response;
        try {
            response = access.send("POST", repositoryPath + "/statuses/" + status.sha(), json.writeValueAsBytes(body));
        } catch (IOException | GitHubUnavailableException e) {
            LOG.debugf("commit status %s on %s not posted yet: %s", status.context(), status.sha(), e.getMessage());
            return Outcome.RETRY;
        }
        if (response.isSuccess()) {
            posted.incrementAndGet();
            return Outcome.POSTED;
        }
        if (response.status() >= 500 || response.status() == 429) {
            LOG.debugf("commit status %s on %s not posted yet: HTTP %d", status.context(), status.sha(),
                    response.status());
            return Outcome.RETRY;
        }
        dropped.incrementAndGet();
        LOG.warnf("GitHub refused commit status %s (%s) on %s with HTTP %d: %s; not posted (the build is not"
                + " affected)", status.context(), status.state(), status.sha(), response.status(), message(response));
        return Outcome.DROPPED;
    }

    private String message(ApiResponse response) {
        try {
            return json.readTree(response.body()).path("message").asText("no message");
        } catch (IOException | RuntimeException e) {
            return "no message";
        }
    }

    @Override
    public void close() {
        poster.shutdownNow();
    }
}
