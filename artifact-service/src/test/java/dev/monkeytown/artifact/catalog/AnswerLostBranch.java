package dev.monkeytown.artifact.catalog;

import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Uni;

import dev.monkeytown.state.Change;
import dev.monkeytown.state.CommitReceipt;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.StateUnavailableException;

/**
 * A branch whose next commit lands but whose caller hears what the store says when it cannot tell
 * (docs/state.md: "may or may not have been recorded"): the commit is on the branch, the caller got a failure.
 */
final class AnswerLostBranch implements StateBranch {

    private final StateBranch delegate;
    private volatile boolean loseNextAnswer;

    AnswerLostBranch(StateBranch delegate) {
        this.delegate = delegate;
    }

    void loseNextAnswer() {
        loseNextAnswer = true;
    }

    @Override
    public String service() {
        return delegate.service();
    }

    @Override
    public Uni<Optional<Document>> read(String path) {
        return delegate.read(path);
    }

    @Override
    public Uni<List<Document>> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public Uni<CommitReceipt> apply(Change change) {
        if (!loseNextAnswer) {
            return delegate.apply(change);
        }
        loseNextAnswer = false;
        return delegate.apply(change).onItem().transformToUni(landed -> Uni.createFrom().failure(
                new StateUnavailableException("the commit may or may not have been recorded", null)));
    }

    @Override
    public Uni<Void> refresh() {
        return delegate.refresh();
    }
}
