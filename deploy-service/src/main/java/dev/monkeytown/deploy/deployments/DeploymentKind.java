package dev.monkeytown.deploy.deployments;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * {@code deploy}: a commit asked for (by hand or automatically); {@code revert}: the last good tree again after a
 * failure or an operator's revert; {@code redeploy}: the commit already deployed, again.
 */
public enum DeploymentKind {
    DEPLOY, REVERT, REDEPLOY;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static DeploymentKind fromJson(String name) {
        for (DeploymentKind value : values()) {
            if (value.jsonName().equals(name)) {
                return value;
            }
        }
        throw new IllegalArgumentException("not a deployment kind: '" + name + "'");
    }
}
