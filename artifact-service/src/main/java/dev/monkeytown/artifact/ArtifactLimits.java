package dev.monkeytown.artifact;

import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.ForbiddenException;

/** The suite API's refusals for the registry's limits, as problem+json through the kit's mapper. */
public final class ArtifactLimits {

    private ArtifactLimits() {
    }

    public static ClientErrorException tooLarge(long limit) {
        return new ClientErrorException("the file exceeds the registry's limit of " + limit
                + " bytes (the spec's Git LFS file limit); nothing was stored", 413);
    }

    public static ForbiddenException quota(String message) {
        return new ForbiddenException(message);
    }
}
