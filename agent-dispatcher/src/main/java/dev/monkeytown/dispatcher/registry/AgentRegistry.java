package dev.monkeytown.dispatcher.registry;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

import org.jboss.logging.Logger;

/**
 * The agents declared on the default branch, re-read whenever its head moves. Holds the last good read: a failed
 * refresh (repository unreachable) keeps serving it, and a declaration that became invalid is reported and dropped
 * without touching the other agents.
 */
public final class AgentRegistry {

    private static final Logger LOG = Logger.getLogger(AgentRegistry.class);

    /** What changed in one refresh, for the caller to announce. */
    public record Refresh(String revision, Optional<String> previousRevision, List<String> changedAgents,
            AgentCatalog catalog) {
    }

    private final DeclarationSource source;
    private volatile Loaded loaded;

    private record Loaded(String revision, AgentCatalog catalog) {
    }

    public AgentRegistry(DeclarationSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** Empty until the declarations were read once. */
    public Optional<AgentCatalog> catalog() {
        Loaded current = loaded;
        return current == null ? Optional.empty() : Optional.of(current.catalog());
    }

    public Optional<String> revision() {
        Loaded current = loaded;
        return current == null ? Optional.empty() : Optional.of(current.revision());
    }

    public DeclarationSource source() {
        return source;
    }

    /**
     * Reads the declarations again if the default branch moved. A branch that does not exist yet counts as a
     * repository with no agents.
     *
     * @return what changed, or empty when the head had not moved
     */
    public synchronized Optional<Refresh> refresh() throws IOException {
        Optional<String> head = source.revision();
        String revision = head.orElse("");
        Loaded before = loaded;
        if (before != null && before.revision().equals(revision)) {
            return Optional.empty();
        }
        AgentCatalog catalog = head.isEmpty() ? new AgentCatalog(Map.of(), List.of()) : source.read(revision).parse();
        catalog.problems().forEach(problem -> LOG.warnf("Agent declaration skipped: %s", problem.describe()));
        List<String> changed = changedAgents(before == null ? Map.of() : before.catalog().agents(), catalog.agents());
        loaded = new Loaded(revision, catalog);
        LOG.infof("Agents at %s: %s", revision.isEmpty() ? "(no default branch yet)" : abbreviate(revision),
                catalog.agents().keySet());
        return Optional.of(new Refresh(revision,
                before == null || before.revision().isEmpty() ? Optional.empty() : Optional.of(before.revision()),
                changed, catalog));
    }

    private static List<String> changedAgents(Map<String, AgentDeclaration> before,
            Map<String, AgentDeclaration> after) {
        TreeSet<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        Map<String, AgentDeclaration> old = new HashMap<>(before);
        return names.stream().filter(name -> !Objects.equals(old.get(name), after.get(name))).toList();
    }

    private static String abbreviate(String revision) {
        return revision.length() > 12 ? revision.substring(0, 12) : revision;
    }
}
