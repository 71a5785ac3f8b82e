package org.sightline.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sightline.shared.Violation;

/** The local password rules, against the shipped list read here on its own. */
class PasswordPolicyTest {

    private final PasswordPolicy policy = new PasswordPolicy();

    private List<String> rules(String username, String password) {
        return policy.check("password", username, password).stream()
                .map(Violation::rule)
                .toList();
    }

    @Test
    void aLongUncommonPasswordWithoutTheNameIsAccepted() {
        assertThat(rules("officer.one", "correct-horse-battery")).isEmpty();
        assertThat(rules("officer.one", "Tŵr-y-Castell-ar-lan-y-môr")).isEmpty();
    }

    @Test
    void lengthIsCountedInCharactersAndBoundedByWhatBcryptReads() {
        assertThat(rules("u1", "")).containsExactly("required");
        assertThat(rules("u1", "eleven-char")).containsExactly("short");
        assertThat(rules("u1", "twelve-chars")).isEmpty();
        assertThat(rules("u1", "x".repeat(20) + "y".repeat(44))).isEmpty();
        assertThat(rules("u1", "x".repeat(20) + "y".repeat(45))).containsExactly("long");
        // 36 characters but 72 bytes is the most bcrypt reads; one more two-byte character is too long.
        assertThat(rules("u1", "ŵ".repeat(36))).isEmpty();
        assertThat(rules("u1", "ŵ".repeat(37))).containsExactly("long");
    }

    @Test
    void everyLongEnoughCommonPasswordIsRefusedAsTypedWithCapitalsOrWithSomethingAdded() throws IOException {
        List<String> list =
                Files.readAllLines(Path.of("src/main/resources/" + PasswordPolicy.LIST), StandardCharsets.UTF_8);
        assertThat(list).hasSize(10_000).startsWith("123456", "password");
        List<String> long12 = list.stream()
                .filter(p -> p.length() >= PasswordPolicy.MIN_LENGTH)
                .toList();
        assertThat(long12).hasSizeGreaterThan(50);
        for (String p : long12) {
            assertThat(rules("u1", p)).as(p).containsExactly("common");
            assertThat(rules("u1", p.toUpperCase())).as(p).containsExactly("common");
        }
        // Short common passwords padded to length with digits or punctuation are refused too.
        assertThat(rules("u1", "password1234")).containsExactly("common");
        assertThat(rules("u1", "qwertyuiop!!")).containsExactly("common");
        assertThat(rules("u1", "Sunshine2026!")).containsExactly("common");
        // Something in front is not stripped: that is a new password.
        assertThat(rules("u1", "xx-sunshine-2026")).isEmpty();
    }

    @Test
    void aPasswordMayNotContainTheUserName() {
        assertThat(rules("m.jones", "M.Jones-garden-shed")).containsExactly("username");
        assertThat(rules("m.jones", "garden-shed-jones")).isEmpty();
        assertThat(rules("ab", "ab-garden-shed-1")).isEmpty();
    }
}
