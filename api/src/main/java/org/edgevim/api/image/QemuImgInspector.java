package org.edgevim.api.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.edgevim.core.error.BackendException;
import org.edgevim.core.image.ImageInspector;

/**
 * {@code qemu-img info --output=json} on a staged image, as Nova and Glance do: the format QEMU
 * will see, the virtual size, and any backing or data file. Run under prlimit (address space and
 * CPU time), because a crafted image can make qemu-img spend both (OSSA-2015-014), and with a
 * wall-clock timeout. The VIM has already refused qcow2 headers with a backing or data file, so
 * qemu-img never opens another file.
 */
public final class QemuImgInspector implements ImageInspector {

    private static final long ADDRESS_SPACE_BYTES = 1L << 30;
    private static final int CPU_SECONDS = 30;

    private final FileImageStore store;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();

    public QemuImgInspector(FileImageStore store, Duration timeout) {
        this.store = store;
        this.timeout = timeout;
    }

    @Override
    public Inspection inspect(String imageId) throws IOException {
        Path file = store.partial(imageId);
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/prlimit"))) {
            command.addAll(List.of("/usr/bin/prlimit", "--as=" + ADDRESS_SPACE_BYTES, "--cpu=" + CPU_SECONDS));
        }
        command.addAll(List.of("qemu-img", "info", "--output=json", file.toString()));
        Path output = Files.createTempFile("qemu-img-info", ".json");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new BackendException("qemu-img info did not finish within " + timeout.toSeconds() + " s", null);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new BackendException("qemu-img info failed (exit " + process.exitValue() + ")", null);
            }
            return parse(text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while inspecting the image", e);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("Cannot run program")) {
                throw new BackendException("qemu-img is not installed on the VIM's machine (apt install qemu-utils)", e);
            }
            throw e;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    Inspection parse(String text) throws IOException {
        JsonNode info = json.readTree(text);
        JsonNode dataFile = info.path("format-specific").path("data").path("data-file");
        return new Inspection(info.path("format").asText(null), info.path("virtual-size").asLong(-1),
                info.hasNonNull("backing-filename") ? info.get("backing-filename").asText() : null,
                dataFile.isMissingNode() || dataFile.isNull() ? null : dataFile.asText());
    }
}
