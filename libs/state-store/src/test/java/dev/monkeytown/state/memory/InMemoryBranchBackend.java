package dev.monkeytown.state.memory;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.monkeytown.state.spi.BranchBackend;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.HeadMovedException;
import dev.monkeytown.state.spi.History;

/** One branch of an {@link InMemoryRepository}. */
public final class InMemoryBranchBackend implements BranchBackend {

    private final InMemoryRepository repository;
    private final String ref;

    InMemoryBranchBackend(InMemoryRepository repository, String ref) {
        this.repository = repository;
        this.ref = ref;
    }

    @Override
    public String ref() {
        return ref;
    }

    @Override
    public boolean existedBefore() {
        return repository.wasCreated(ref);
    }

    @Override
    public Optional<String> readHead() {
        return repository.head(ref);
    }

    @Override
    public Map<String, String> readTree(String commitId) {
        return repository.tree(commitId);
    }

    @Override
    public byte[] readBlob(String blobId) {
        return repository.blob(blobId);
    }

    @Override
    public History history(String head, Optional<String> base, int limit) {
        return repository.history(head, base, limit);
    }

    @Override
    public String commit(Optional<String> expectedHead, Map<String, byte[]> puts, Set<String> deletes,
            CommitMetadata metadata) throws HeadMovedException {
        return repository.commit(ref, expectedHead, puts, deletes, metadata);
    }
}
