package dev.monkeytown.runner.github;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.github.ApiResponse;

/** The {@code message} of a GitHub error body, short enough for a run's failure reason. */
final class GitHubMessage {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX = 200;

    private GitHubMessage() {
    }

    static String of(ApiResponse response) {
        String message;
        try {
            message = JSON.readTree(response.body()).path("message").asText("");
        } catch (Exception unreadable) {
            message = "";
        }
        if (message.isBlank()) {
            message = "no message";
        }
        return message.length() > MAX ? message.substring(0, MAX) + "..." : message;
    }
}
