package org.edgevim.api.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.edgevim.core.model.ComputeFlavour;
import org.edgevim.core.model.MobilityProfile;
import org.edgevim.core.model.OperationalState;
import org.edgevim.core.model.VirtualCompute;
import org.edgevim.core.service.ComputeRepository;

/** VM records in table {@code virtual_compute}. */
@ApplicationScoped
public class JdbcComputeRepository implements ComputeRepository {

    private static final String COLUMNS = "compute_id, compute_name, virtual_cpu, virtual_memory_mib, disk_gib, "
            + "image_id, host_id, zone_id, operational_state, metadata, created_at, ue_ids, relocatable, max_downtime_ms";

    private final AgroalDataSource dataSource;
    private final JsonColumns json;

    public JdbcComputeRepository(AgroalDataSource dataSource, JsonColumns json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    @Override
    public void insert(VirtualCompute compute) {
        Jdbc.run(dataSource, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO virtual_compute (compute_name, "
                    + "virtual_cpu, virtual_memory_mib, disk_gib, image_id, host_id, zone_id, operational_state, "
                    + "metadata, created_at, ue_ids, relocatable, max_downtime_ms, compute_id) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(insert, compute);
                return insert.executeUpdate();
            }
        });
    }

    @Override
    public void update(VirtualCompute compute) {
        Jdbc.run(dataSource, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE virtual_compute SET compute_name = ?, "
                    + "virtual_cpu = ?, virtual_memory_mib = ?, disk_gib = ?, image_id = ?, host_id = ?, zone_id = ?, "
                    + "operational_state = ?, metadata = ?, created_at = ?, ue_ids = ?, relocatable = ?, max_downtime_ms = ? "
                    + "WHERE compute_id = ?")) {
                bind(update, compute);
                return update.executeUpdate();
            }
        });
    }

    @Override
    public void delete(String computeId) {
        Jdbc.run(dataSource, connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM virtual_compute WHERE compute_id = ?")) {
                delete.setString(1, computeId);
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public Optional<VirtualCompute> find(String computeId) {
        return Jdbc.run(dataSource, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM virtual_compute WHERE compute_id = ?")) {
                query.setString(1, computeId);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(read(rows)) : Optional.<VirtualCompute>empty();
                }
            }
        });
    }

    @Override
    public List<VirtualCompute> list(String hostId, OperationalState state) {
        return Jdbc.run(dataSource, connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM virtual_compute "
                    + "WHERE (? IS NULL OR host_id = ?) AND (? IS NULL OR operational_state = ?) "
                    + "ORDER BY created_at, compute_id")) {
                String stateName = state == null ? null : state.name();
                query.setString(1, hostId);
                query.setString(2, hostId);
                query.setString(3, stateName);
                query.setString(4, stateName);
                try (ResultSet rows = query.executeQuery()) {
                    List<VirtualCompute> result = new ArrayList<>();
                    while (rows.next()) {
                        result.add(read(rows));
                    }
                    return result;
                }
            }
        });
    }

    private void bind(PreparedStatement statement, VirtualCompute c) throws SQLException {
        statement.setString(1, c.computeName());
        statement.setInt(2, c.flavour().virtualCpu());
        statement.setLong(3, c.flavour().virtualMemory());
        statement.setLong(4, c.flavour().disk());
        statement.setString(5, c.vcImageId());
        statement.setString(6, c.hostId());
        statement.setString(7, c.zoneId());
        statement.setString(8, c.operationalState().name());
        statement.setString(9, json.writeMap(c.metadata()));
        statement.setTimestamp(10, Timestamp.from(c.createdAt()));
        statement.setString(11, json.writeList(c.mobility().ueIds()));
        statement.setBoolean(12, c.mobility().relocatable());
        statement.setLong(13, c.mobility().maxDowntimeMs());
        statement.setString(14, c.computeId());
    }

    private VirtualCompute read(ResultSet row) throws SQLException {
        return new VirtualCompute(row.getString("compute_id"), row.getString("compute_name"),
                new ComputeFlavour(row.getInt("virtual_cpu"), row.getLong("virtual_memory_mib"), row.getLong("disk_gib")),
                row.getString("image_id"), row.getString("host_id"), row.getString("zone_id"),
                OperationalState.valueOf(row.getString("operational_state")), json.readMap(row.getString("metadata")),
                row.getTimestamp("created_at").toInstant(), new MobilityProfile(json.readList(row.getString("ue_ids")),
                        row.getBoolean("relocatable"), row.getLong("max_downtime_ms")));
    }
}
