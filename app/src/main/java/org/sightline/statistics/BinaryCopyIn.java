package org.sightline.statistics;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * COPY in PostgreSQL's binary format, one statement streamed a megabyte at a time on the transaction's connection,
 * for rows of {@code bigint} and {@code bytea} only: a rebuild's kept inputs (a few hundred thousand blobs) go as their
 * bytes, not as hex text twice their size for the server to parse back.
 */
final class BinaryCopyIn implements AutoCloseable {

    private static final byte[] HEADER = {
        'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0
    };
    private static final int CHUNK = 1 << 20;

    private final DataSource dataSource;
    private final String table;
    private final Connection connection;
    /** PgJDBC's COPY in progress (not this package's text {@link CopyIn}). */
    private final org.postgresql.copy.CopyIn copy;

    private byte[] buf = new byte[CHUNK + 64];
    private int pos;

    BinaryCopyIn(DataSource dataSource, String table) {
        this.dataSource = dataSource;
        this.table = table;
        this.connection = DataSourceUtils.getConnection(dataSource);
        try {
            this.copy = connection
                    .unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn("COPY " + table + " FROM STDIN (FORMAT binary)");
        } catch (SQLException e) {
            DataSourceUtils.releaseConnection(connection, dataSource);
            throw new IllegalStateException("writing " + table + " failed: " + e.getMessage(), e);
        }
        put(HEADER, HEADER.length);
    }

    /** Starts a row of {@code fields} values. */
    BinaryCopyIn row(int fields) {
        room(2);
        buf[pos++] = (byte) (fields >>> 8);
        buf[pos++] = (byte) fields;
        return this;
    }

    BinaryCopyIn int8(long v) {
        room(12);
        int32(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[pos++] = (byte) (v >>> shift);
        }
        return this;
    }

    BinaryCopyIn bytea(byte[] v) {
        room(4);
        int32(v.length);
        put(v, v.length);
        return this;
    }

    private void int32(int v) {
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    private void put(byte[] bytes, int length) {
        if (length > CHUNK) {
            flush();
            buf = Arrays.copyOf(buf, Math.max(buf.length, length + 64));
        } else {
            room(length);
        }
        System.arraycopy(bytes, 0, buf, pos, length);
        pos += length;
    }

    private void room(int bytes) {
        if (pos + bytes > CHUNK) {
            flush();
        }
    }

    private void flush() {
        try {
            copy.writeToCopy(buf, 0, pos);
            pos = 0;
        } catch (SQLException e) {
            throw new IllegalStateException("writing " + table + " failed: " + e.getMessage(), e);
        }
    }

    /** Ends the COPY; if the rows could not all be written, the transaction's rollback takes back what was. */
    @Override
    public void close() {
        try {
            if (copy.isActive()) {
                room(2);
                buf[pos++] = (byte) 0xFF; // the trailer: a field count of -1
                buf[pos++] = (byte) 0xFF;
                flush();
                copy.endCopy();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("writing " + table + " failed: " + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }
}
