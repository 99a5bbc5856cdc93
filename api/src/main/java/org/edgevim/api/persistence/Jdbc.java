package org.edgevim.api.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs one unit of JDBC work on a pooled connection, turning SQL failures into unchecked ones. */
final class Jdbc {

    @FunctionalInterface
    interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    private Jdbc() {
    }

    static <T> T run(DataSource dataSource, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.apply(connection);
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    /** The database failed: a server fault, never the caller's. */
    static final class PersistenceException extends RuntimeException {
        PersistenceException(SQLException cause) {
            super("Database operation failed: " + cause.getMessage(), cause);
        }
    }
}
