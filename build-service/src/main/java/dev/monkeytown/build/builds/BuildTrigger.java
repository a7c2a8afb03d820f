package dev.monkeytown.build.builds;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What asked for a build. Only {@code push} is automatic: held pipelines and the daily cap stop it, not the others. */
public enum BuildTrigger {
    PUSH, MANUAL, RETRY;

    public boolean isAutomatic() {
        return this == PUSH;
    }

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static BuildTrigger fromJson(String name) {
        for (BuildTrigger value : values()) {
            if (value.jsonName().equals(name)) {
                return value;
            }
        }
        throw new IllegalArgumentException("not a build trigger: '" + name + "'");
    }
}
