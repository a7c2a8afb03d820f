package dev.monkeytown.dispatcher.registry;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where agent declarations are read from: the default branch of the Monkeytown repository, as a local Git repository
 * or through the GitHub API.
 */
public interface DeclarationSource {

    /** The commit the default branch points at now; cheap (a conditional request on GitHub), so it can be polled. */
    Optional<String> revision() throws IOException;

    /**
     * The declaration files at {@code revision}: {@code .monkeytown/agents.yaml} (empty text when absent) and the file
     * names in {@code .github/workflows}.
     */
    Declarations read(String revision) throws IOException;

    /**
     * The paths changed between two commits of the default branch; empty when this source cannot tell them all (a diff
     * too large to list), in which case every on-change agent gets a run.
     */
    Optional<List<String>> changedPaths(String fromRevision, String toRevision) throws IOException;
}
