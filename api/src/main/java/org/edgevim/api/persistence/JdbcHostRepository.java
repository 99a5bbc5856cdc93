package org.edgevim.api.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.edgevim.core.model.EdgeHost;
import org.edgevim.core.model.HostState;
import org.edgevim.core.service.HostRepository;

/** Edge hosts in table {@code edge_host}. */
@ApplicationScoped
public class JdbcHostRepository implements HostRepository {

    private static final String COLUMNS = "host_id, driver, uri, zone_id, cells, state, ssh_uri";

    private final AgroalDataSource dataSource;
    private final JsonColumns json;

    public JdbcHostRepository(AgroalDataSource dataSource, JsonColumns json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    @Override
    public void save(EdgeHost host) {
        Jdbc.run(dataSource, connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE edge_host SET driver = ?, uri = ?, zone_id = ?, cells = ?, state = ?, ssh_uri = ? WHERE host_id = ?")) {
                bind(update, host, 1);
                update.setString(7, host.hostId());
                if (update.executeUpdate() == 1) {
                    return null;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO edge_host (driver, uri, zone_id, cells, state, ssh_uri, host_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                bind(insert, host, 1);
                insert.setString(7, host.hostId());
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<EdgeHost> find(String hostId) {
        return Jdbc.run(dataSource, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM edge_host WHERE host_id = ?")) {
                query.setString(1, hostId);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(read(rows)) : Optional.<EdgeHost>empty();
                }
            }
        });
    }

    @Override
    public List<EdgeHost> list() {
        return Jdbc.run(dataSource, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM edge_host ORDER BY host_id");
                 ResultSet rows = query.executeQuery()) {
                List<EdgeHost> hosts = new ArrayList<>();
                while (rows.next()) {
                    hosts.add(read(rows));
                }
                return hosts;
            }
        });
    }

    private void bind(PreparedStatement statement, EdgeHost host, int first) throws SQLException {
        statement.setString(first, host.driver());
        statement.setString(first + 1, host.uri());
        statement.setString(first + 2, host.zoneId());
        statement.setString(first + 3, json.writeList(host.cells()));
        statement.setString(first + 4, host.state().name());
        statement.setString(first + 5, host.sshUri());
    }

    private EdgeHost read(ResultSet row) throws SQLException {
        return new EdgeHost(row.getString("host_id"), row.getString("driver"), row.getString("uri"),
                row.getString("zone_id"), json.readList(row.getString("cells")), HostState.valueOf(row.getString("state")),
                row.getString("ssh_uri"));
    }

}
