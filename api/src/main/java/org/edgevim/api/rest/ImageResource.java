package org.edgevim.api.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.image.ImageCreation;
import org.edgevim.core.image.ImageService;
import org.edgevim.core.image.ImageStatus;
import org.edgevim.core.image.ImageUpdate;
import org.edgevim.core.image.SoftwareImage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Mm4: the application images VMs boot from, and their copies on edge hosts. */
@Path("/mm4/v1/images")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Mm4 software images")
public class ImageResource {

    private final ImageService images;

    public ImageResource(ImageService images) {
        this.images = images;
    }

    @POST
    @Operation(summary = "Add an image record (QUEUED); with sourceUri the VIM imports the bytes itself")
    public Response create(@Valid @NotNull CreateImage body) {
        CreateImage.ChecksumBody checksum = body.checksum();
        SoftwareImage image = images.create(new ImageCreation(body.name(), body.provider(), body.version(),
                checksum == null ? null : checksum.algorithm(), checksum == null ? null : checksum.hash(),
                body.containerFormat(), body.diskFormat(), body.minDisk(), body.minRam(), body.kernelImageId(),
                body.ramdiskImageId(), body.sourceUri(), body.userMetadata()));
        return Response.created(URI.create("/mm4/v1/images/" + image.imageId())).entity(image).build();
    }

    @PUT
    @Path("/{imageId}/file")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Upload the bytes (streamed to disk) and verify them: checksum, format, no backing file")
    public SoftwareImage upload(@PathParam("imageId") String imageId, @HeaderParam("Content-Length") Long length,
                                InputStream body) {
        return images.upload(imageId, body, length == null ? -1 : length);
    }

    @GET
    @Operation(summary = "List images, optionally filtered by name, version and status")
    public List<SoftwareImage> list(@QueryParam("name") String name, @QueryParam("version") String version,
                                    @QueryParam("status") String status) {
        return images.list(name, version, parseStatus(status));
    }

    @GET
    @Path("/{imageId}")
    @Operation(summary = "One image, with its copies on edge hosts (locations) and their progress")
    public SoftwareImage get(@PathParam("imageId") String imageId) {
        return images.get(imageId);
    }

    @PATCH
    @Path("/{imageId}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @Operation(summary = "Update name, version or userMetadata")
    public SoftwareImage update(@PathParam("imageId") String imageId, @NotNull UpdateImage body) {
        return images.update(imageId, new ImageUpdate(body.name(), body.version(), body.userMetadata()));
    }

    @DELETE
    @Path("/{imageId}")
    @Operation(summary = "Delete an image: 204 when gone; 202 with the image (PENDING_DELETE) while VMs still use it")
    public Response delete(@PathParam("imageId") String imageId) {
        Optional<SoftwareImage> pending = images.delete(imageId);
        return pending.map(image -> Response.accepted(image).build()).orElseGet(() -> Response.noContent().build());
    }

    @POST
    @Path("/{imageId}/prestage")
    @Operation(summary = "Copy the image to these hosts in parallel; 202, progress in the image's locations")
    public Response prestage(@PathParam("imageId") String imageId, @NotNull PrestageImage body) {
        return Response.accepted(images.prestage(imageId, body.hostIds())).build();
    }

    private static ImageStatus parseStatus(String value) {
        if (value == null) {
            return null;
        }
        try {
            return ImageStatus.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("status", "must be one of " + Arrays.toString(ImageStatus.values()));
        }
    }
}
