package dev.monkeytown.artifact.catalog;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the registry's records have been read from the state branch. */
@Readiness
@Singleton
public class CatalogReadiness implements HealthCheck {

    private final Catalog catalog;

    CatalogReadiness(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("artifact-catalog").status(catalog.loaded())
                .withData("repositories", catalog.repositories().size()).build();
    }
}
