package dev.monkeytown.artifact.catalog;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the registry's records have been read from the state branch. Records that could not be read are named
 * ({@code unreadableRecords}) without taking readiness down: the rest of the registry is served.
 */
@Readiness
@Singleton
public class CatalogReadiness implements HealthCheck {

    private final Catalog catalog;

    CatalogReadiness(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("artifact-catalog").status(catalog.loaded())
                .withData("repositories", catalog.repositories().size());
        var unreadable = catalog.unreadable();
        if (!unreadable.isEmpty()) {
            // still up: everything else is served; these are skipped until repaired (docs/artifacts.md)
            response.withData("unreadableRecords", String.join(", ", unreadable.keySet()));
        }
        return response.build();
    }
}
