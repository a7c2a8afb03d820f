package dev.monkeytown.github;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ApiRequestTest {

    @Test
    void printingARequestNeverShowsItsHeaders() {
        ApiRequest request = new ApiRequest("GET", URI.create("https://api.github.com/repos/o/r/git/ref/heads/x"),
                Map.of("Authorization", List.of("token ghp_secret")), null, RequestKind.READ);
        assertEquals("GET /repos/o/r/git/ref/heads/x", request.toString());
    }
}
