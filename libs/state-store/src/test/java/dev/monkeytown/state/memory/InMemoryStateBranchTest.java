package dev.monkeytown.state.memory;

import org.junit.jupiter.api.BeforeEach;

import dev.monkeytown.state.StateBranchContractTest;
import dev.monkeytown.state.spi.BranchBackend;

/** Runs the contract against the in-memory fake, so the engine is checked without any disk or network. */
class InMemoryStateBranchTest extends StateBranchContractTest {

    private InMemoryRepository repository;

    @BeforeEach
    void newRepository() {
        repository = new InMemoryRepository();
    }

    @Override
    protected BranchBackend newBackend(String service) {
        return repository.branch(service);
    }
}
