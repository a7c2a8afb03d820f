package dev.monkeytown.github.testdouble;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The issues of a hosted repository: numbered from 1 in creation order, open or closed, with labels and comments. A
 * label named on a new issue is created if the repository lacks it, as GitHub does for a token with push access.
 */
public final class HostedIssues {

    /** One comment, as GitHub keeps it. */
    public record Comment(long id, String body, Instant createdAt) {
    }

    /** One issue; {@code stateReason} is GitHub's {@code state_reason} (null while open and never closed). */
    public record Issue(long id, int number, String title, String body, String state, String stateReason,
            Set<String> labels, List<Comment> comments, Instant createdAt, Instant updatedAt, Instant closedAt) {

        public boolean open() {
            return state.equals("open");
        }

        Issue with(String newState, String reason, Instant at) {
            boolean closing = newState.equals("closed") && open();
            return new Issue(id, number, title, body, newState, reason, labels, comments, createdAt, at,
                    newState.equals("open") ? null : closing ? at : closedAt);
        }

        Issue commented(Comment comment) {
            List<Comment> all = new ArrayList<>(comments);
            all.add(comment);
            return new Issue(id, number, title, body, state, stateReason, labels, List.copyOf(all), createdAt,
                    comment.createdAt(), closedAt);
        }
    }

    private final LongSupplier ids;
    private final AtomicInteger numbers = new AtomicInteger();
    private final Map<Integer, Issue> issues = new ConcurrentHashMap<>();

    HostedIssues(LongSupplier ids) {
        this.ids = ids;
    }

    /** Every issue, oldest first. */
    public List<Issue> all() {
        return issues.values().stream().sorted(Comparator.comparingInt(Issue::number)).toList();
    }

    public Optional<Issue> issue(int number) {
        return Optional.ofNullable(issues.get(number));
    }

    /** Opens an issue as a person would; for tests that need one to exist already. */
    public synchronized Issue create(String title, String body, Set<String> labels) {
        Instant now = now();
        Issue issue = new Issue(ids.getAsLong(), numbers.incrementAndGet(), title, body, "open", null,
                new TreeSet<>(labels), List.of(), now, now, null);
        issues.put(issue.number(), issue);
        return issue;
    }

    synchronized Issue changeState(int number, String state, String reason) {
        Issue changed = existing(number).with(state, reason, now());
        issues.put(number, changed);
        return changed;
    }

    synchronized Comment comment(int number, String body) {
        Comment comment = new Comment(ids.getAsLong(), body, now());
        issues.put(number, existing(number).commented(comment));
        return comment;
    }

    private Issue existing(int number) {
        Issue issue = issues.get(number);
        if (issue == null) {
            throw new NoSuchElementException("no issue " + number);
        }
        return issue;
    }

    /** GitHub's timestamps have whole seconds. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
