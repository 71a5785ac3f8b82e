package org.sightline.access;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.sightline.shared.Violation;
import org.springframework.stereotype.Component;

/**
 * The rules for a local account's password, wherever one is set (NCSC and NIST SP 800-63B: length and a deny list,
 * no composition rules): at least {@link #MIN_LENGTH} characters, at most {@link #MAX_LENGTH} (bcrypt reads only the
 * first 72 bytes), not one of the 10,000 most common passwords (shipped in {@code access/common-passwords.txt}, see
 * the README beside it), not such a password with digits or punctuation added at the end, and not containing the
 * user name.
 */
@Component
public class PasswordPolicy {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 64;
    static final int MAX_BYTES = 72;
    static final String LIST = "access/common-passwords.txt";

    private final Set<String> common;

    PasswordPolicy() {
        this.common = load();
    }

    /** The rules {@code password} breaks for the account {@code username}, as violations of {@code field}; none if it is good. */
    public List<Violation> check(String field, String username, String password) {
        List<Violation> broken = new ArrayList<>();
        if (password == null || password.isEmpty()) {
            broken.add(new Violation(field, "required", "enter a password"));
            return broken;
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            broken.add(new Violation(field, "short", "a password must be at least " + MIN_LENGTH + " characters"));
        } else if (length > MAX_LENGTH || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            broken.add(new Violation(
                    field,
                    "long",
                    "a password must be at most " + MAX_LENGTH + " characters (" + MAX_BYTES + " bytes)"));
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (common.contains(lower) || common.contains(lower.replaceFirst("[\\p{N}\\p{P}\\p{S}\\s]+$", ""))) {
            broken.add(new Violation(
                    field, "common", "this password is one of the most common passwords: choose another"));
        }
        if (username != null
                && username.strip().length() >= 3
                && lower.contains(username.strip().toLowerCase(Locale.ROOT))) {
            broken.add(new Violation(field, "username", "a password must not contain the user name"));
        }
        return broken;
    }

    /** Whether the password is one of the shipped common passwords (as typed, without case). */
    boolean isCommon(String password) {
        return common.contains(password.toLowerCase(Locale.ROOT));
    }

    private static Set<String> load() {
        Set<String> words = new HashSet<>(16_384);
        try (InputStream in = PasswordPolicy.class.getClassLoader().getResourceAsStream(LIST)) {
            if (in == null) {
                throw new IllegalStateException(LIST + " is missing from the application");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    words.add(line.strip().toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + LIST, e);
        }
        return Set.copyOf(words);
    }
}
