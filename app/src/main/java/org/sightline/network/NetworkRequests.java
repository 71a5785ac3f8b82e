package org.sightline.network;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.UUID;

/** A network entity to link: an existing one by id, or a new one of the kind named. Shared by forms and the API. */
public final class NetworkRequests {

    private NetworkRequests() {}

    /** Either {@code existingId} or the new entity of {@code kind}. */
    public record Entity(
            String kind, UUID existingId, NewAdult adult, NewLocation location, NewVehicle vehicle, NewPhone phone) {}

    public record NewAdult(
            String givenName,
            String familyName,
            @Schema(description = "yyyy, yyyy-mm or yyyy-mm-dd") String dateOfBirth,
            @Schema(allowableValues = {"male", "female", "not_known", "not_recorded"}) String sex) {}

    public record NewLocation(
            @Schema(allowableValues = {"address", "hotel", "takeaway", "park", "car_park", "station", "other"})
                    String kind,
            String name,
            String postcode,
            @Schema(description = "Unique Property Reference Number, when known; matches the place exactly")
                    String uprn) {

        public NewLocation(String kind, String name, String postcode) {
            this(kind, name, postcode, null);
        }
    }

    public record NewVehicle(String registration, String make, String colour) {}

    public record NewPhone(String number) {}
}
