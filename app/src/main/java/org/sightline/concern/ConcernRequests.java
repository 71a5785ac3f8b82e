package org.sightline.concern;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.sightline.network.NetworkRequests;

/** Requests to the concern service, shared by the web forms and the API. */
public final class ConcernRequests {

    private ConcernRequests() {}

    @Schema(description = "Raise an exploitation concern about a child whose record the caller's agency may see")
    public record Raise(
            @Schema(description = "public id of the person record") UUID recordId,
            @Schema(description = "indicator codes, at least one; see GET /api/v1/screening-instruments")
                    List<String> indicators,
            @Schema(description = "what was seen or heard, up to 4000 characters") String summary,
            @Schema(description = "when the concern arose, to the instant; default now; not in the future")
                    Instant raisedAt,
            @Schema(
                            description =
                                    "when the concern arose as far as it is known, instead of raisedAt: yyyy-mm-dd, yyyy-mm,"
                                            + " yyyy or not_known; not in the future")
                    String raisedOn) {

        public Raise(UUID recordId, List<String> indicators, String summary, Instant raisedAt) {
            this(recordId, indicators, summary, raisedAt, null);
        }
    }

    @Schema(
            description =
                    "A screening with a versioned instrument; answers map item id to the time windows it was seen in")
    public record Screen(
            String instrumentCode,
            Integer instrumentVersion,
            Map<String, List<String>> answers,
            @Schema(description = "a band id of the instrument, to override the scored band") String overrideBand,
            @Schema(description = "required with overrideBand") String overrideReason,
            @Schema(description = "default: the instrument's interval from today; never later") LocalDate reassessBy) {}

    @Schema(
            name = "LinkRequest",
            description = "Link an adult, location, vehicle or phone: either existingId or the new entity of that kind")
    public record Link(
            @Schema(allowableValues = {"adult", "location", "vehicle", "phone"}) String kind,
            @Schema(description = "association type; default by kind (seen_with, frequents, seen_in, contacted_by)")
                    String type,
            UUID existingId,
            NetworkRequests.NewAdult adult,
            NetworkRequests.NewLocation location,
            NetworkRequests.NewVehicle vehicle,
            NetworkRequests.NewPhone phone) {

        NetworkRequests.Entity entity() {
            return new NetworkRequests.Entity(kind, existingId, adult, location, vehicle, phone);
        }
    }

    @Schema(description = "Record the outcome and close the concern; version is the concern version read")
    public record Outcome(
            @Schema(allowableValues = {"no_further_action", "referral", "strategy_meeting", "investigation"})
                    String outcome,
            String notes,
            Integer version) {}
}
