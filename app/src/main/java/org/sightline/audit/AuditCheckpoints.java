package org.sightline.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the chain head is written outside the database, so that an emptied table, or one whose newest entries were
 * removed, no longer matches what was sealed. The default sink appends one line per sealing to a file
 * ({@code SEQ KEY_ID MAC INSTANT}) and logs the head; another sink (an object store with write-once retention, a
 * log service) implements this interface and is declared as a bean in its place.
 */
public interface AuditCheckpoints {

    /** A sealed chain head. */
    record Checkpoint(long seq, String keyId, String mac, Instant at) {}

    void write(Checkpoint checkpoint);

    /** The newest checkpoint written, if any. */
    Optional<Checkpoint> latest();

    /** Appends to a local file (fsync'd) and logs at INFO at most once a minute; the line holds no personal data. */
    final class FileSink implements AuditCheckpoints {
        private static final Logger LOG = LoggerFactory.getLogger(AuditCheckpoints.class);
        private final Path file;
        private long lastLogged;

        public FileSink(Path file) {
            this.file = file;
        }

        @Override
        public synchronized void write(Checkpoint c) {
            String line = c.seq() + " " + c.keyId() + " " + c.mac() + " " + c.at() + "\n";
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                try (FileChannel channel = FileChannel.open(
                        file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
                    channel.write(StandardCharsets.UTF_8.encode(line));
                    channel.force(false);
                }
            } catch (IOException e) {
                LOG.warn("audit checkpoint could not be written to {}: {}", file, e.getMessage());
            }
            long now = System.nanoTime();
            if (now - lastLogged > 60_000_000_000L || lastLogged == 0) {
                lastLogged = now;
                LOG.info("audit chain sealed to seq={} key={} mac={}", c.seq(), c.keyId(), c.mac());
            }
        }

        /** The line with the highest seq (several processes may append to one file). Malformed lines are ignored. */
        @Override
        public Optional<Checkpoint> latest() {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("the audit checkpoint file " + file + " cannot be read");
            }
            Checkpoint best = null;
            for (String line : lines) {
                String[] parts = line.strip().split(" ");
                if (parts.length != 4 || parts[2].length() != 64) {
                    continue;
                }
                try {
                    Checkpoint c =
                            new Checkpoint(Long.parseLong(parts[0]), parts[1], parts[2], Instant.parse(parts[3]));
                    if (best == null || c.seq() > best.seq()) {
                        best = c;
                    }
                } catch (RuntimeException e) {
                    // a torn last line after a crash: the lines before it still count
                }
            }
            return Optional.ofNullable(best);
        }

        public Path file() {
            return file;
        }
    }
}
