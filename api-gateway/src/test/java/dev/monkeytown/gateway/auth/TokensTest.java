package dev.monkeytown.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
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
                TokenGrant.parse("ada", "ADMIN", "sha256:" + TestTokens.sha256Hex(TestTokens.ADMIN).toUpperCase())),
                problem -> fail(problem));
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
    }

    @Test
    void twoCallersWithOneTokenAreNeitherAccepted() {
        String same = TestTokens.sha256Hex("shared");
        List<String> problems = new ArrayList<>();
        TokenTable table = TokenTable.of(List.of(TokenGrant.parse("a", "viewer", same),
                TokenGrant.parse("b", "admin", same), TokenGrant.parse("c", "viewer", TestTokens.sha256Hex("own"))),
                problems::add);
        assertEquals(Optional.empty(), table.principalFor("shared"));
        assertEquals(Optional.of(new Principal("c", Role.VIEWER)), table.principalFor("own"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("a and b"), problems.get(0));
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
        TokensFile.Reading reading = TokensFile.parse(List.of("# tokens", "", line("vic", "viewer", "t1")
                + "  # ci", "  " + line("olga", "operator", "t2")));
        assertEquals(List.of("vic", "olga"), reading.grants().stream().map(TokenGrant::user).toList());
        assertEquals(Role.OPERATOR, reading.grants().get(1).role());
        assertEquals(List.of(), reading.problems());
    }

    @Test
    void aMalformedLineIsReportedByNumberWithoutItsContentAndTheOthersStillCount() {
        TokensFile.Reading reading = TokensFile.parse(List.of("# ok", "vic viewer", line("ada", "admin", "t2"),
                "eve admin sha256:" + "ab".repeat(31)));
        assertEquals(List.of("ada"), reading.grants().stream().map(TokenGrant::user).toList());
        assertEquals(2, reading.problems().size(), reading.problems().toString());
        assertTrue(reading.problems().get(0).startsWith("line 2:"), reading.problems().get(0));
        assertTrue(reading.problems().get(1).startsWith("line 4:"), reading.problems().get(1));
        assertFalse(reading.problems().get(1).contains("abab"), "a digest, even a broken one, is not echoed");
    }

    @Test
    void aFourthColumnLimitsTheTokenToRepositories() {
        TokensFile.Reading reading = TokensFile.parse(List.of(line("ci", "operator", "t1") + " builds/**,tools/cli",
                line("eve", "viewer", "t2") + " builds/**,ev;il", line("vic", "viewer", "t3")));
        assertEquals(List.of("ci", "vic"), reading.grants().stream().map(TokenGrant::user).toList());
        assertEquals(List.of("builds/**", "tools/cli"), reading.grants().get(0).repositories());
        assertEquals(List.of(), reading.grants().get(1).repositories());
        assertEquals(1, reading.problems().size(), reading.problems().toString());
        assertTrue(reading.problems().get(0).startsWith("line 2:"), reading.problems().get(0));
        TokenTable table = TokenTable.of(reading.grants(), problem -> fail(problem));
        assertEquals(List.of("builds/**", "tools/cli"), table.principalFor("t1").orElseThrow().repositories());
    }

    @Test
    void aRepositoryColumnNamingNoRepositoryIsAProblemNotAnUnscopedToken() {
        TokensFile.Reading reading = TokensFile.parse(List.of(line("ci", "operator", "t1") + " ,",
                line("vic", "viewer", "t3")));
        assertEquals(List.of("vic"), reading.grants().stream().map(TokenGrant::user).toList());
        assertEquals(1, reading.problems().size(), reading.problems().toString());
        assertTrue(reading.problems().get(0).startsWith("line 1:"), reading.problems().get(0));
    }

    @Test
    void basicCredentialsYieldTheirPasswordAsTheToken() {
        assertEquals(Optional.of("tok-en_1"), BasicCredentials.passwordOf("Basic " + base64("ci:tok-en_1")));
        assertEquals(Optional.of("tok-en_1"), BasicCredentials.passwordOf("basic " + base64(":tok-en_1")));
        assertEquals(Optional.empty(), BasicCredentials.passwordOf("Basic " + base64("no-colon")));
        assertEquals(Optional.empty(), BasicCredentials.passwordOf("Basic " + base64("ci:two words")));
        assertEquals(Optional.empty(), BasicCredentials.passwordOf("Basic %%%"));
        assertEquals(Optional.empty(), BasicCredentials.passwordOf("Basic"));
        assertEquals(Optional.empty(), BasicCredentials.passwordOf("Bearer " + base64("ci:tok")));
    }

    private static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void theFileIsReReadWhenItsContentChangesWhateverItsClockSays(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("tokens");
        Files.writeString(path, line("vic", "viewer", "t1") + "\n");
        TokensFile file = new TokensFile(path);
        assertEquals(1, file.readIfChanged().orElseThrow().grants().size());
        assertEquals(Optional.empty(), file.readIfChanged(), "unchanged");
        FileTime stamp = Files.getLastModifiedTime(path);

        // same length, same modification time: another token all the same
        Files.writeString(path, line("vic", "viewer", "t9") + "\n");
        Files.setLastModifiedTime(path, stamp);
        TokensFile.Reading rewritten = file.readIfChanged().orElseThrow();
        assertEquals(Optional.empty(), TokenTable.of(rewritten.grants(), problem -> fail(problem)).principalFor("t1"));
        assertTrue(TokenTable.of(rewritten.grants(), problem -> fail(problem)).principalFor("t9").isPresent());
    }
}
