package dev.monkeytown.artifact.catalog;

import java.util.Optional;

import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.RepositoryName;
import dev.monkeytown.state.Workspace;

/**
 * Why a manifest must not be deleted, if it must not: a deployment references it, or an index of its repository
 * does. Both read the workspace inside the deleting change, so a deployment or an index recorded earlier in the same
 * batch (not yet in the catalog) still protects.
 */
public final class ManifestGuard {

    public Optional<String> why(RepositoryName repository, Digest digest, Workspace ws) {
        String reference = repository + "@" + digest;
        for (String path : ws.list(ArtifactPaths.DEPLOYMENTS + "/")) {
            Optional<DeploymentReferences> deployment = ws.read(path)
                    .map(d -> CatalogJson.read(d.content(), DeploymentReferences.class));
            if (deployment.isPresent() && (deployment.get().current().contains(reference)
                    || deployment.get().lastGood().contains(reference))) {
                String environment = path.substring(ArtifactPaths.DEPLOYMENTS.length() + 1, path.length() - 5);
                return Optional.of("environment " + environment + " deploys it (current or last good)");
            }
        }
        return RegistryChanges.manifests(ws, repository).stream()
                .filter(m -> !m.digest().equals(digest) && m.refersTo(digest) && isIndex(m)).findFirst()
                .map(index -> "index " + index.digest() + " of the repository includes it");
    }

    private static boolean isIndex(ManifestRecord record) {
        return dev.monkeytown.artifact.oci.MediaTypes.INDEXES.contains(record.mediaType());
    }
}
