package dev.monkeytown.github.testdouble;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Commit statuses ({@code POST /repos/{owner}/{repo}/statuses/{sha}}) of every repository, as GitHub keeps them: each
 * post adds one, newest last; a context is compared without case; at most {@link #LIMIT} per commit and context.
 */
public final class HostedStatuses {

    /** GitHub: "This SHA and context has reached the maximum number of statuses." past 1,000. */
    public static final int LIMIT = 1000;

    /** One status as posted. */
    public record CommitStatus(long id, String state, String context, String description, String targetUrl,
            Instant createdAt) {
        public CommitStatus {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(context, "context");
        }
    }

    private final Map<String, List<CommitStatus>> byCommit = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(5_000_000);

    /** The statuses of a commit, oldest first. */
    public List<CommitStatus> of(String repository, String sha) {
        synchronized (this) {
            return List.copyOf(byCommit.getOrDefault(key(repository, sha), List.of()));
        }
    }

    /** The statuses of a commit in one context (compared without case), oldest first. */
    public List<CommitStatus> of(String repository, String sha, String context) {
        return of(repository, sha).stream().filter(s -> s.context().equalsIgnoreCase(context)).toList();
    }

    /** The latest status of each context, as the commit's combined status shows it; empty when it has none. */
    public java.util.Optional<CommitStatus> latest(String repository, String sha, String context) {
        List<CommitStatus> all = of(repository, sha, context);
        return all.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(all.get(all.size() - 1));
    }

    /** Posts {@code count} statuses as another system would, e.g. to bring a context to GitHub's limit. */
    public void fill(String repository, String sha, String context, String state, int count) {
        for (int i = 0; i < count; i++) {
            add(repository, sha, state, context, "filled by the test", null, Instant.now());
        }
    }

    /** Empty when the commit and context are at the limit. */
    synchronized java.util.Optional<CommitStatus> add(String repository, String sha, String state, String context,
            String description, String targetUrl, Instant at) {
        List<CommitStatus> statuses = byCommit.computeIfAbsent(key(repository, sha), k -> new ArrayList<>());
        long inContext = statuses.stream().filter(s -> s.context().equalsIgnoreCase(context)).count();
        if (inContext >= LIMIT) {
            return java.util.Optional.empty();
        }
        CommitStatus status = new CommitStatus(ids.incrementAndGet(), state, context, description, targetUrl, at);
        statuses.add(status);
        return java.util.Optional.of(status);
    }

    private static String key(String repository, String sha) {
        return repository.toLowerCase(Locale.ROOT) + "@" + sha;
    }
}
