package dev.monkeytown.deploy.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.deploy.deployments.Deployment;
import dev.monkeytown.deploy.deployments.EnvironmentStatus;
import dev.monkeytown.state.ChangeRejectedException;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.Workspace;

/**
 * The layout of {@code monkeytown/state/deploy-service}:
 *
 * <pre>
 * deployments/&lt;env&gt;/&lt;id&gt;.json   every deployment, for good (ids sort by creation)
 * environments/&lt;env&gt;.json        whether automatic deploys are paused, why, by whom
 * </pre>
 *
 * Each record carries a {@code revision}; a write goes only over the revision it was computed from, so a change
 * computed from a stale view is refused instead of overwriting.
 */
public final class DeploymentBook {

    static final String DEPLOYMENTS = "deployments/";
    static final String ENVIRONMENTS = "environments/";

    private final ObjectMapper json;

    public DeploymentBook(ObjectMapper json) {
        this.json = json;
    }

    static String path(Deployment deployment) {
        return DEPLOYMENTS + deployment.environment() + "/" + deployment.id() + ".json";
    }

    static String path(EnvironmentStatus status) {
        return ENVIRONMENTS + status.environment() + ".json";
    }

    /** @param base the revision the change was computed from; -1 for a new deployment */
    void write(Workspace workspace, Deployment deployment, long base) {
        long stored = workspace.read(path(deployment)).map(d -> parse(d, Deployment.class).revision()).orElse(-1L);
        if (stored != base) {
            throw new ChangeRejectedException("deployment " + deployment.id() + " is at revision " + stored
                    + " on the branch, not " + base);
        }
        workspace.put(path(deployment), bytes(deployment));
    }

    void write(Workspace workspace, EnvironmentStatus status) {
        long stored = workspace.read(path(status)).map(d -> parse(d, EnvironmentStatus.class).revision()).orElse(0L);
        if (stored != status.revision() - 1) {
            throw new ChangeRejectedException("environment " + status.environment() + " is at revision " + stored
                    + " on the branch, not " + (status.revision() - 1));
        }
        workspace.put(path(status), bytes(status));
    }

    /** Every deployment recorded, with the ones that could not be read named (never dropped silently). */
    Recorded recorded(StateBranch branch) {
        List<Deployment> deployments = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (Document document : branch.list(DEPLOYMENTS).await().indefinitely()) {
            try {
                deployments.add(parse(document, Deployment.class));
            } catch (UncheckedIOException e) {
                unreadable.add(document.path());
            }
        }
        List<EnvironmentStatus> statuses = new ArrayList<>();
        for (Document document : branch.list(ENVIRONMENTS).await().indefinitely()) {
            try {
                statuses.add(parse(document, EnvironmentStatus.class));
            } catch (UncheckedIOException e) {
                unreadable.add(document.path());
            }
        }
        return new Recorded(deployments, statuses, unreadable);
    }

    record Recorded(List<Deployment> deployments, List<EnvironmentStatus> statuses, List<String> unreadable) {
    }

    Optional<Deployment> find(StateBranch branch, String environment, String id) {
        return branch.read(DEPLOYMENTS + environment + "/" + id + ".json").await().indefinitely()
                .map(d -> parse(d, Deployment.class));
    }

    private byte[] bytes(Object value) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T parse(Document document, Class<T> type) {
        try {
            return json.readValue(document.content(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + document.path(), e);
        }
    }
}
