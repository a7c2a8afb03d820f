package dev.monkeytown.deploy.alerts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Alertmanager's two alert states, in its spelling (also on the state branch and in the API). */
public enum AlertStatus {
    FIRING, RESOLVED;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase();
    }

    @JsonCreator
    static AlertStatus of(String name) {
        return valueOf(name.toUpperCase());
    }
}
