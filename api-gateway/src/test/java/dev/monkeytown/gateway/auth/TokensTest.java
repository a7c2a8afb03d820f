package dev.monkeytown.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.monkeytown.gateway.pipeline.Principal;
import dev.monkeytown.gateway.pipeline.Role;

/** Token grants, the table's lookup and the tokens file, without a gateway around them. */
class TokensTest {

    private static String line(String user, String role, String token) {
        return user + " " + role + " sha256:" + TestTokens.sha256Hex(token);
    }

    @Test
    void aTokenResolvesToItsUserAndRoleAndNothingElseDoes() {
        TokenTable table = TokenTable.of(List.of(
                TokenGrant.parse("vic", "viewer", TestTokens.sha256Hex(TestTokens.VIEWER)),
                TokenGrant.parse("ada", "ADMIN", "sha256:" + TestTokens.sha256Hex(TestTokens.ADMIN).toUpperCase())));
        assertEquals(Optional.of(new Principal("vic", Role.VIEWER)), table.principalFor(TestTokens.VIEWER));
        assertEquals(Optional.of(new Principal("ada", Role.ADMIN)), table.principalFor(TestTokens.ADMIN));
        assertEquals(Optional.empty(), table.principalFor(TestTokens.OPERATOR));
        assertEquals(Optional.empty(), table.principalFor(TestTokens.sha256Hex(TestTokens.VIEWER)),
                "the digest itself is not a token");
    }

    @Test
    void badGrantsAreRefusedNamingTheUser() {
        IllegalArgumentException shortDigest = assertThrows(IllegalArgumentException.class,
                () -> TokenGrant.parse("vic", "viewer", "abc123"));
        assertTrue(shortDigest.getMessage().contains("vic"));
        assertThrows(IllegalArgumentException.class,
                () -> TokenGrant.parse("vic", "superuser", TestTokens.sha256Hex("x")));
        assertThrows(IllegalArgumentException.class,
                () -> TokenGrant.parse("vic", "anonymous", TestTokens.sha256Hex("x")));
        String same = TestTokens.sha256Hex("shared");
        assertThrows(IllegalArgumentException.class, () -> TokenTable.of(
                List.of(TokenGrant.parse("a", "viewer", same), TokenGrant.parse("b", "admin", same))));
    }

    @Test
    void bearerHeadersAreParsedStrictly() {
        assertEquals(Optional.of("abc.DEF-123_~+/="), AuthenticationRoute.tokenOf("Bearer abc.DEF-123_~+/="));
        assertEquals(Optional.of("abc"), AuthenticationRoute.tokenOf("bearer abc"));
        assertEquals(Optional.empty(), AuthenticationRoute.tokenOf("Bearer"));
        assertEquals(Optional.empty(), AuthenticationRoute.tokenOf("Bearer "));
        assertEquals(Optional.empty(), AuthenticationRoute.tokenOf("Basic dXNlcjpwYXNz"));
        assertEquals(Optional.empty(), AuthenticationRoute.tokenOf("Bearer two words"));
    }

    @Test
    void theFileIsParsedWithCommentsAndBlankLines() {
        List<TokenGrant> grants = TokensFile.parse(List.of("# tokens", "", line("vic", "viewer", "t1") + "  # ci",
                "  " + line("olga", "operator", "t2")));
        assertEquals(List.of("vic", "olga"), grants.stream().map(TokenGrant::user).toList());
        assertEquals(Role.OPERATOR, grants.get(1).role());
    }

    @Test
    void aMalformedLineIsReportedByNumberWithoutItsContent() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokensFile.parse(List.of("# ok", "vic viewer")));
        assertTrue(e.getMessage().startsWith("line 2:"), e.getMessage());
    }

    @Test
    void theFileIsReReadWhenItChangesAndABrokenRewriteKeepsThePreviousTokens(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("tokens");
        Files.writeString(path, line("vic", "viewer", "t1") + "\n");
        TokensFile file = new TokensFile(path);
        assertTrue(file.reloadIfChanged());
        assertFalse(file.reloadIfChanged(), "unchanged: only a stat");

        Files.writeString(path, line("vic", "viewer", "t1") + "\n" + line("ada", "admin", "t2") + "\n");
        Files.setLastModifiedTime(path, FileTime.from(Instant.now().plusSeconds(10)));
        assertTrue(file.reloadIfChanged());
        assertEquals(2, file.grants().size());

        Files.writeString(path, "ada admin sha256:notahash\n");
        Files.setLastModifiedTime(path, FileTime.from(Instant.now().plusSeconds(20)));
        assertThrows(IllegalArgumentException.class, file::reloadIfChanged);
        assertEquals(2, file.grants().size());
    }
}
