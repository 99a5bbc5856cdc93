package org.edgevim.api.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.edgevim.migration.Handoff;
import org.edgevim.migration.HandoffRepository;

/**
 * Handoffs in table {@code handoff}: the searchable fields as columns, the whole record (shadows,
 * timeline) as one JSON document, since it is always read and written whole.
 */
@ApplicationScoped
public class JdbcHandoffRepository implements HandoffRepository {

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    public JdbcHandoffRepository(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    @Override
    public void insert(Handoff handoff) {
        Jdbc.run(dataSource, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO handoff (compute_id, state, "
                    + "expires_at, created_at, document, handoff_id) VALUES (?, ?, ?, ?, ?, ?)")) {
                bind(insert, handoff);
                return insert.executeUpdate();
            }
        });
    }

    @Override
    public void update(Handoff handoff) {
        Jdbc.run(dataSource, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE handoff SET compute_id = ?, state = ?, "
                    + "expires_at = ?, created_at = ?, document = ? WHERE handoff_id = ?")) {
                bind(update, handoff);
                return update.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Handoff> find(String handoffId) {
        List<Handoff> found = query("WHERE handoff_id = ?", handoffId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @Override
    public List<Handoff> list(String computeId) {
        return computeId == null ? query("ORDER BY created_at DESC")
                : query("WHERE compute_id = ? ORDER BY created_at DESC", computeId);
    }

    @Override
    public List<Handoff> unfinished() {
        return query("WHERE state IN ('PREPARING', 'PREPARED', 'EXECUTING') ORDER BY created_at");
    }

    private List<Handoff> query(String where, String... parameters) {
        return Jdbc.run(dataSource, connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT document FROM handoff " + where)) {
                for (int i = 0; i < parameters.length; i++) {
                    query.setString(i + 1, parameters[i]);
                }
                try (ResultSet rows = query.executeQuery()) {
                    List<Handoff> result = new ArrayList<>();
                    while (rows.next()) {
                        result.add(read(rows.getString(1)));
                    }
                    return result;
                }
            }
        });
    }

    private void bind(PreparedStatement s, Handoff h) throws java.sql.SQLException {
        s.setString(1, h.computeId());
        s.setString(2, h.state().name());
        s.setTimestamp(3, Timestamp.from(h.expiresAt()));
        s.setTimestamp(4, Timestamp.from(h.createdAt()));
        try {
            s.setString(5, json.writeValueAsString(h));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Handoff " + h.handoffId() + " cannot be written as JSON", e);
        }
        s.setString(6, h.handoffId());
    }

    private Handoff read(String document) {
        try {
            return json.readValue(document, Handoff.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Corrupt handoff document: " + e.getMessage(), e);
        }
    }
}
