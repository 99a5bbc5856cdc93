package org.edgevim.api.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.edgevim.core.image.Checksum;
import org.edgevim.core.image.DiskFormat;
import org.edgevim.core.image.ImageLocation;
import org.edgevim.core.image.ImageRepository;
import org.edgevim.core.image.ImageStatus;
import org.edgevim.core.image.SoftwareImage;

/** Image records in table {@code software_image}, their host copies in {@code image_location}. */
@ApplicationScoped
public class JdbcImageRepository implements ImageRepository {

    private static final String COLUMNS = "image_id, name, provider, version, checksum_algorithm, checksum_hash, "
            + "container_format, disk_format, created_at, updated_at, min_disk_gib, min_ram_mib, size_bytes, "
            + "virtual_size_bytes, status, status_reason, kernel_image_id, ramdisk_image_id, source_uri, user_metadata";
    private static final String LOCATION_COLUMNS = "state, transfer_method, bytes_copied, total_bytes, error, updated_at";

    private final AgroalDataSource dataSource;
    private final JsonColumns json;

    public JdbcImageRepository(AgroalDataSource dataSource, JsonColumns json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    @Override
    public void insert(SoftwareImage image) {
        Jdbc.run(dataSource, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO software_image (name, provider, "
                    + "version, checksum_algorithm, checksum_hash, container_format, disk_format, created_at, updated_at, "
                    + "min_disk_gib, min_ram_mib, size_bytes, virtual_size_bytes, status, status_reason, kernel_image_id, "
                    + "ramdisk_image_id, source_uri, user_metadata, image_id) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(insert, image);
                return insert.executeUpdate();
            }
        });
    }

    @Override
    public void update(SoftwareImage image) {
        Jdbc.run(dataSource, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE software_image SET name = ?, "
                    + "provider = ?, version = ?, checksum_algorithm = ?, checksum_hash = ?, container_format = ?, "
                    + "disk_format = ?, created_at = ?, updated_at = ?, min_disk_gib = ?, min_ram_mib = ?, size_bytes = ?, "
                    + "virtual_size_bytes = ?, status = ?, status_reason = ?, kernel_image_id = ?, ramdisk_image_id = ?, "
                    + "source_uri = ?, user_metadata = ? WHERE image_id = ?")) {
                bind(update, image);
                return update.executeUpdate();
            }
        });
    }

    @Override
    public Optional<SoftwareImage> find(String imageId) {
        return Jdbc.run(dataSource, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM software_image WHERE image_id = ?")) {
                query.setString(1, imageId);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(read(connection, rows)) : Optional.<SoftwareImage>empty();
                }
            }
        });
    }

    @Override
    public List<SoftwareImage> list(String name, String version, ImageStatus status) {
        return Jdbc.run(dataSource, connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM software_image "
                    + "WHERE (? IS NULL OR name = ?) AND (? IS NULL OR version = ?) AND (? IS NULL OR status = ?) "
                    + "ORDER BY created_at, image_id")) {
                String statusName = status == null ? null : status.name();
                query.setString(1, name);
                query.setString(2, name);
                query.setString(3, version);
                query.setString(4, version);
                query.setString(5, statusName);
                query.setString(6, statusName);
                try (ResultSet rows = query.executeQuery()) {
                    List<SoftwareImage> result = new ArrayList<>();
                    while (rows.next()) {
                        result.add(read(connection, rows));
                    }
                    return result;
                }
            }
        });
    }

    @Override
    public void delete(String imageId) {
        Jdbc.run(dataSource, connection -> {
            try (PreparedStatement locations = connection.prepareStatement("DELETE FROM image_location WHERE image_id = ?");
                 PreparedStatement image = connection.prepareStatement("DELETE FROM software_image WHERE image_id = ?")) {
                locations.setString(1, imageId);
                locations.executeUpdate();
                image.setString(1, imageId);
                return image.executeUpdate();
            }
        });
    }

    /** Update, else insert: portable (H2 and PostgreSQL spell upserts differently). */
    @Override
    public void saveLocation(String imageId, ImageLocation location) {
        Jdbc.run(dataSource, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE image_location SET state = ?, "
                    + "transfer_method = ?, bytes_copied = ?, total_bytes = ?, error = ?, updated_at = ? "
                    + "WHERE image_id = ? AND host_id = ?")) {
                bindLocation(update, imageId, location);
                if (update.executeUpdate() == 1) {
                    return null;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO image_location ("
                    + LOCATION_COLUMNS + ", image_id, host_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                bindLocation(insert, imageId, location);
                insert.executeUpdate();
            } catch (SQLException e) {
                // The image was deleted while a copy reported progress: nothing to record.
                if (find(imageId).isPresent()) {
                    throw e;
                }
            }
            return null;
        });
    }

    @Override
    public void removeLocation(String imageId, String hostId) {
        Jdbc.run(dataSource, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM image_location WHERE image_id = ? AND host_id = ?")) {
                delete.setString(1, imageId);
                delete.setString(2, hostId);
                return delete.executeUpdate();
            }
        });
    }

    private static void bindLocation(PreparedStatement statement, String imageId, ImageLocation l) throws SQLException {
        statement.setString(1, l.state().name());
        statement.setString(2, l.transferMethod());
        statement.setLong(3, l.bytesCopied());
        statement.setLong(4, l.totalBytes());
        statement.setString(5, truncate(l.error()));
        statement.setTimestamp(6, Timestamp.from(l.updatedAt()));
        statement.setString(7, imageId);
        statement.setString(8, l.hostId());
    }

    private void bind(PreparedStatement s, SoftwareImage i) throws SQLException {
        s.setString(1, i.name());
        s.setString(2, i.provider());
        s.setString(3, i.version());
        s.setString(4, i.checksum() == null ? null : i.checksum().algorithm());
        s.setString(5, i.checksum() == null ? null : i.checksum().hash());
        s.setString(6, i.containerFormat());
        s.setString(7, i.diskFormat().name());
        s.setTimestamp(8, Timestamp.from(i.createdAt()));
        s.setTimestamp(9, Timestamp.from(i.updatedAt()));
        s.setInt(10, i.minDisk());
        s.setInt(11, i.minRam());
        setLong(s, 12, i.size());
        setLong(s, 13, i.virtualSize());
        s.setString(14, i.status().name());
        s.setString(15, truncate(i.statusReason()));
        s.setString(16, i.kernelImageId());
        s.setString(17, i.ramdiskImageId());
        s.setString(18, i.sourceUri());
        s.setString(19, json.writeMap(i.userMetadata()));
        s.setString(20, i.imageId());
    }

    private SoftwareImage read(Connection connection, ResultSet row) throws SQLException {
        String imageId = row.getString("image_id");
        String hash = row.getString("checksum_hash");
        return new SoftwareImage(imageId, row.getString("name"), row.getString("provider"), row.getString("version"),
                hash == null ? null : new Checksum(row.getString("checksum_algorithm"), hash),
                row.getString("container_format"), DiskFormat.valueOf(row.getString("disk_format")),
                row.getTimestamp("created_at").toInstant(), row.getTimestamp("updated_at").toInstant(),
                row.getInt("min_disk_gib"), row.getInt("min_ram_mib"), getLong(row, "size_bytes"),
                getLong(row, "virtual_size_bytes"), ImageStatus.valueOf(row.getString("status")),
                row.getString("status_reason"), row.getString("kernel_image_id"), row.getString("ramdisk_image_id"),
                row.getString("source_uri"), json.readMap(row.getString("user_metadata")), locations(connection, imageId));
    }

    private static List<ImageLocation> locations(Connection connection, String imageId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT host_id, " + LOCATION_COLUMNS
                + " FROM image_location WHERE image_id = ? ORDER BY host_id")) {
            query.setString(1, imageId);
            try (ResultSet rows = query.executeQuery()) {
                List<ImageLocation> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(new ImageLocation(rows.getString("host_id"),
                            ImageLocation.State.valueOf(rows.getString("state")), rows.getString("transfer_method"),
                            rows.getLong("bytes_copied"), rows.getLong("total_bytes"), rows.getString("error"),
                            rows.getTimestamp("updated_at").toInstant()));
                }
                return result;
            }
        }
    }

    private static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, value);
        }
    }

    private static Long getLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 2000 ? text : text.substring(0, 1997) + "...";
    }
}
