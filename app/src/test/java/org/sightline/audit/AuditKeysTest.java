package org.sightline.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files: rotation keeps old keys for verification; faults are one line naming the file and the rule. */
class AuditKeysTest {

    @TempDir
    Path dir;

    @Test
    void rotationAddsAKeyThatBecomesCurrentWhileOldOnesStillVerify() {
        Path file = dir.resolve("audit.key");
        String first = AuditKeys.addKey(file);
        String second = AuditKeys.addKey(file);
        AuditKeys keys = AuditKeys.read(file);
        assertThat(keys.currentId()).isEqualTo(second).isNotEqualTo(first);
        assertThat(keys.knows(first)).isTrue();
        String entry = AuditEntry.of("a", "B", "VIEW", "x", "1").canonical(java.time.Instant.EPOCH, null);
        assertThat(keys.mac(first, AuditSealer.GENESIS, entry))
                .hasSize(64)
                .isNotEqualTo(keys.mac(second, AuditSealer.GENESIS, entry))
                .isEqualTo(AuditKeys.read(file).mac(first, AuditSealer.GENESIS, entry));
    }

    @Test
    void theMacDependsOnThePreviousMacAndEveryField() {
        Path file = dir.resolve("audit.key");
        String id = AuditKeys.addKey(file);
        AuditKeys keys = AuditKeys.read(file);
        String a = AuditEntry.of("a", "B", "VIEW", "x", "1").canonical(java.time.Instant.EPOCH, null);
        String b = AuditEntry.of("a", "B", "VIEW", "x", "2").canonical(java.time.Instant.EPOCH, null);
        // Length prefixes: moving a character from one field to the next changes the canonical form.
        String c = AuditEntry.of("ab", "", "VIEW", "x", "1").canonical(java.time.Instant.EPOCH, null);
        String d = AuditEntry.of("a", "b", "VIEW", "x", "1").canonical(java.time.Instant.EPOCH, null);
        assertThat(keys.mac(id, AuditSealer.GENESIS, a))
                .isNotEqualTo(keys.mac(id, AuditSealer.GENESIS, b))
                .isNotEqualTo(keys.mac(id, "1".repeat(64), a));
        assertThat(c).isNotEqualTo(d);
    }

    @Test
    void badKeyFilesAreRefusedNamingTheLine() throws IOException {
        Path file = dir.resolve("bad.key");
        Files.writeString(file, "# comment\nk1:c2hvcnQ=\n");
        assertThatThrownBy(() -> AuditKeys.read(file))
                .hasMessageContaining("line 2")
                .hasMessageContaining("32 bytes");
        Files.writeString(file, "no colon here\n");
        assertThatThrownBy(() -> AuditKeys.read(file))
                .hasMessageContaining("line 1")
                .hasMessageContaining("KEY_ID:BASE64");
        Files.writeString(file, "# only a comment\n");
        assertThatThrownBy(() -> AuditKeys.read(file)).hasMessageContaining("holds no key");
        assertThatThrownBy(() -> AuditKeys.read(dir.resolve("missing.key"))).hasMessageContaining("cannot be read");
    }
}
