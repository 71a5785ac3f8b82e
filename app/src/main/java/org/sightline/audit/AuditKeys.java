package org.sightline.audit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * The secret keys that seal the audit chain (HMAC-SHA256). They live outside the database, so whoever can write to
 * it cannot recompute the chain. A key file holds one key per line, {@code KEY_ID:BASE64} (at least 32 bytes);
 * the last line is the key in use and earlier lines still verify the entries they sealed, which is how a key is
 * rotated: append a new line and restart. Blank lines and lines starting with {@code #} are ignored.
 */
public final class AuditKeys {

    static final int MIN_KEY_BYTES = 32;

    private final Map<String, byte[]> keys;
    private final String current;

    private AuditKeys(Map<String, byte[]> keys, String current) {
        this.keys = keys;
        this.current = current;
    }

    /** Reads a key file; every fault is one line that names the file and the rule. */
    public static AuditKeys read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("the audit key file " + file + " cannot be read");
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        String current = null;
        int number = 0;
        for (String raw : lines) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 1) {
                throw new IllegalStateException(
                        "audit key file " + file + " line " + number + ": expected KEY_ID:BASE64");
            }
            String id = line.substring(0, colon);
            byte[] key;
            try {
                key = Base64.getDecoder().decode(line.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        "audit key file " + file + " line " + number + ": the key is not base64");
            }
            if (key.length < MIN_KEY_BYTES) {
                throw new IllegalStateException("audit key file " + file + " line " + number + ": a key needs at least "
                        + MIN_KEY_BYTES + " bytes");
            }
            if (keys.putIfAbsent(id, key) != null) {
                throw new IllegalStateException(
                        "audit key file " + file + " line " + number + ": key id " + id + " is used twice");
            }
            current = id;
        }
        if (current == null) {
            throw new IllegalStateException("the audit key file " + file + " holds no key");
        }
        return new AuditKeys(keys, current);
    }

    /**
     * Adds a new random key to a key file, creating the file (readable by its owner only where the file system allows)
     * when there is none; the new key becomes the one in use. Returns its id.
     */
    public static String addKey(Path file) {
        byte[] key = new byte[MIN_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        String id = "k" + DigestUtils.sha256Hex(key).substring(0, 8);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            boolean created = !Files.exists(file);
            String header = created
                    ? "# Sightline audit keys (KEY_ID:BASE64); the last line is in use. Keep them secret"
                            + " and keep a copy apart from the database: without them the log cannot be verified.\n"
                    : "";
            Files.writeString(
                    file,
                    header + id + ":" + Base64.getEncoder().encodeToString(key) + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            if (created) {
                File f = file.toFile();
                f.setReadable(false, false);
                f.setReadable(true, true);
                f.setWritable(false, false);
                f.setWritable(true, true);
            }
        } catch (IOException e) {
            throw new IllegalStateException("the audit key file " + file + " cannot be written");
        }
        return id;
    }

    /**
     * A secret for another purpose (e.g. hashing API tokens), derived from the installation's first key so that it
     * stays the same when audit keys are rotated: HMAC-SHA256 of the purpose under that key.
     */
    public byte[] derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keys.values().iterator().next(), "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
        }
    }

    String currentId() {
        return current;
    }

    boolean knows(String keyId) {
        return keys.containsKey(keyId);
    }

    /** HMAC-SHA256 of the previous entry's MAC and the entry's canonical form, as hex. */
    String mac(String keyId, String previousMac, String canonicalEntry) {
        byte[] key = keys.get(keyId);
        if (key == null) {
            throw new IllegalArgumentException("unknown audit key id " + keyId);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(previousMac.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) '\n');
            return HexFormat.of().formatHex(mac.doFinal(canonicalEntry.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
        }
    }
}
