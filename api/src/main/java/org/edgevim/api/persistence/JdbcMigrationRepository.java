package org.edgevim.api.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.edgevim.migration.Migration;
import org.edgevim.migration.MigrationRepository;
import org.edgevim.migration.MigrationState;
import org.edgevim.migration.MigrationStatistics;
import org.edgevim.migration.MigrationType;

/** Migration records in table {@code vm_migration}. */
@ApplicationScoped
public class JdbcMigrationRepository implements MigrationRepository {

    private static final String COLUMNS = "compute_id, source_host_id, target_host_id, migration_type, state, "
            + "max_downtime_ms, bandwidth_mibps, memory_total, memory_processed, memory_remaining, iteration, "
            + "dirty_rate, elapsed_ms, downtime_ms, error, created_at, updated_at, finished_at, held, live_at, migration_id";

    private final AgroalDataSource dataSource;

    public JdbcMigrationRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void insert(Migration migration) {
        Jdbc.run(dataSource, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO vm_migration (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(insert, migration);
                return insert.executeUpdate();
            }
        });
    }

    @Override
    public void update(Migration migration) {
        Jdbc.run(dataSource, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE vm_migration SET compute_id = ?, "
                    + "source_host_id = ?, target_host_id = ?, migration_type = ?, state = ?, max_downtime_ms = ?, "
                    + "bandwidth_mibps = ?, memory_total = ?, memory_processed = ?, memory_remaining = ?, iteration = ?, "
                    + "dirty_rate = ?, elapsed_ms = ?, downtime_ms = ?, error = ?, created_at = ?, updated_at = ?, "
                    + "finished_at = ?, held = ?, live_at = ? WHERE migration_id = ?")) {
                bind(update, migration);
                return update.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Migration> find(String migrationId) {
        List<Migration> found = query("WHERE migration_id = ?", migrationId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @Override
    public List<Migration> list(String computeId) {
        return computeId == null ? query("ORDER BY created_at DESC, migration_id")
                : query("WHERE compute_id = ? ORDER BY created_at DESC, migration_id", computeId);
    }

    @Override
    public List<Migration> unfinished() {
        return query("WHERE state NOT IN ('COMPLETED', 'FAILED', 'CANCELLED') ORDER BY created_at");
    }

    private List<Migration> query(String where, String... parameters) {
        return Jdbc.run(dataSource, connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM vm_migration "
                    + where)) {
                for (int i = 0; i < parameters.length; i++) {
                    query.setString(i + 1, parameters[i]);
                }
                try (ResultSet rows = query.executeQuery()) {
                    List<Migration> result = new ArrayList<>();
                    while (rows.next()) {
                        result.add(read(rows));
                    }
                    return result;
                }
            }
        });
    }

    private static void bind(PreparedStatement s, Migration m) throws SQLException {
        MigrationStatistics stats = m.statistics();
        s.setString(1, m.computeId());
        s.setString(2, m.sourceHostId());
        s.setString(3, m.targetHostId());
        s.setString(4, m.migrationType().name());
        s.setString(5, m.state().name());
        s.setLong(6, m.maxDowntimeMs());
        s.setLong(7, m.bandwidthMiBps());
        s.setLong(8, stats.memoryTotalBytes());
        s.setLong(9, stats.memoryProcessedBytes());
        s.setLong(10, stats.memoryRemainingBytes());
        s.setLong(11, stats.iteration());
        s.setLong(12, stats.dirtyRateBytesPerSecond());
        s.setLong(13, stats.elapsedMs());
        if (stats.downtimeMs() == null) {
            s.setNull(14, Types.BIGINT);
        } else {
            s.setLong(14, stats.downtimeMs());
        }
        s.setString(15, m.error() == null || m.error().length() <= 2000 ? m.error() : m.error().substring(0, 2000));
        s.setTimestamp(16, Timestamp.from(m.createdAt()));
        s.setTimestamp(17, Timestamp.from(m.updatedAt()));
        s.setTimestamp(18, m.finishedAt() == null ? null : Timestamp.from(m.finishedAt()));
        s.setBoolean(19, m.held());
        s.setTimestamp(20, m.liveAt() == null ? null : Timestamp.from(m.liveAt()));
        s.setString(21, m.migrationId());
    }

    private static Migration read(ResultSet r) throws SQLException {
        long downtime = r.getLong("downtime_ms");
        Long downtimeMs = r.wasNull() ? null : downtime;
        Timestamp finished = r.getTimestamp("finished_at");
        Timestamp live = r.getTimestamp("live_at");
        return new Migration(r.getString("migration_id"), r.getString("compute_id"), r.getString("source_host_id"),
                r.getString("target_host_id"), MigrationType.valueOf(r.getString("migration_type")),
                MigrationState.valueOf(r.getString("state")), r.getLong("max_downtime_ms"), r.getLong("bandwidth_mibps"),
                r.getBoolean("held"),
                new MigrationStatistics(r.getLong("memory_total"), r.getLong("memory_processed"),
                        r.getLong("memory_remaining"), r.getLong("iteration"), r.getLong("dirty_rate"),
                        r.getLong("elapsed_ms"), downtimeMs),
                r.getString("error"), r.getTimestamp("created_at").toInstant(), r.getTimestamp("updated_at").toInstant(),
                finished == null ? null : finished.toInstant(), live == null ? null : live.toInstant());
    }
}
