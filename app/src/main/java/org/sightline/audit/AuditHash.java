package org.sightline.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/** SHA-256 over the previous hash and an unambiguous encoding of the entry (length-prefixed fields). */
final class AuditHash {

    static final String GENESIS = "0".repeat(64);

    private AuditHash() {
    }

    static String of(String previousHash, Instant occurredAt, AuditEntry e, String correlationId) {
        StringBuilder canonical = new StringBuilder(256);
        for (String field : new String[] {previousHash, occurredAt.toString(), e.actor(), e.actorAgency(), e.action(),
                e.subjectType(), e.subjectId(), e.reason(), correlationId, e.details()}) {
            if (field == null) {
                canonical.append("-1:");
            } else {
                canonical.append(field.length()).append(':').append(field);
            }
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e1) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e1);
        }
    }
}
