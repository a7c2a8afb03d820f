package dev.monkeytown.kit.ops;

/** A logger category, the level set on it (null when inherited) and the level that applies. */
public record LogLevel(String category, String level, String effectiveLevel) {
}
