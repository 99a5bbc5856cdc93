package org.edgevim.api.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.edgevim.api.notify.Subscription;

/** Notification subscriptions in table {@code notification_subscription}. */
@ApplicationScoped
public class JdbcSubscriptionRepository {

    private static final String COLUMNS = "subscription_id, callback_uri, notification_types, created_at";

    private final AgroalDataSource dataSource;
    private final JsonColumns json;

    public JdbcSubscriptionRepository(AgroalDataSource dataSource, JsonColumns json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public void insert(Subscription subscription) {
        Jdbc.run(dataSource, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notification_subscription ("
                    + COLUMNS + ") VALUES (?, ?, ?, ?)")) {
                insert.setString(1, subscription.id());
                insert.setString(2, subscription.callbackUri().toString());
                // NULL rather than [] for "every type": reads unambiguously in SQL too.
                insert.setString(3, subscription.notificationTypes().isEmpty() ? null
                        : json.writeList(subscription.notificationTypes()));
                insert.setTimestamp(4, Timestamp.from(subscription.createdAt()));
                return insert.executeUpdate();
            }
        });
    }

    /** @return whether there was such a subscription */
    public boolean delete(String subscriptionId) {
        return Jdbc.run(dataSource, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM notification_subscription WHERE subscription_id = ?")) {
                delete.setString(1, subscriptionId);
                return delete.executeUpdate() == 1;
            }
        });
    }

    public Optional<Subscription> find(String subscriptionId) {
        return Jdbc.run(dataSource, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM notification_subscription WHERE subscription_id = ?")) {
                query.setString(1, subscriptionId);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(read(rows)) : Optional.<Subscription>empty();
                }
            }
        });
    }

    public List<Subscription> list() {
        return Jdbc.run(dataSource, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM notification_subscription ORDER BY created_at, subscription_id");
                 ResultSet rows = query.executeQuery()) {
                List<Subscription> subscriptions = new ArrayList<>();
                while (rows.next()) {
                    subscriptions.add(read(rows));
                }
                return subscriptions;
            }
        });
    }

    private Subscription read(ResultSet row) throws SQLException {
        String types = row.getString("notification_types");
        return new Subscription(row.getString("subscription_id"), URI.create(row.getString("callback_uri")),
                types == null ? List.of() : json.readList(types), row.getTimestamp("created_at").toInstant());
    }
}
