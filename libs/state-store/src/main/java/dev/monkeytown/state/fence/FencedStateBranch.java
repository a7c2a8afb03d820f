package dev.monkeytown.state.fence;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Uni;

import dev.monkeytown.state.Change;
import dev.monkeytown.state.CommitReceipt;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.StateBranch;

/** A state branch whose every change is checked against the {@link WriterFence} in the same commit. */
public final class FencedStateBranch implements StateBranch {

    private final StateBranch branch;
    private final WriterFence fence;

    public FencedStateBranch(StateBranch branch, WriterFence fence) {
        this.branch = branch;
        this.fence = fence;
    }

    public WriterFence fence() {
        return fence;
    }

    /** Makes this instance the writer now (one commit), rather than with its first change. */
    public Uni<CommitReceipt> takeOver(dev.monkeytown.state.Actor actor) {
        return apply(new Change("writer " + fence.instance() + " takes over", actor, workspace -> {
        }));
    }

    @Override
    public String service() {
        return branch.service();
    }

    @Override
    public Uni<Optional<Document>> read(String path) {
        return branch.read(path);
    }

    @Override
    public Uni<List<Document>> list(String prefix) {
        return branch.list(prefix);
    }

    @Override
    public Uni<List<String>> paths(String prefix) {
        return branch.paths(prefix);
    }

    @Override
    public Uni<List<Document>> list(Collection<String> folders) {
        return branch.list(folders);
    }

    @Override
    public Uni<CommitReceipt> apply(Change change) {
        Change fenced = new Change(change.message(), change.actor(), workspace -> {
            fence.check(workspace);
            change.edits().apply(workspace);
        });
        return branch.apply(fenced).invoke(fence::committed);
    }

    /** Refreshes the view, then looks at the fence: an instance that lost it learns so without writing. */
    @Override
    public Uni<Void> refresh() {
        return branch.refresh().chain(() -> branch.read(WriterFence.PATH)).invoke(fence::observe).replaceWithVoid();
    }
}
