package org.sightline.retention;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code sightline.retention.*}: when each type of record is due for review (docs/operations.md, "Retention and
 * erasure", gives the reasons for the defaults). A record is due on the latest of its rules' dates and of any "keep
 * until" an administrator recorded; "last activity" is the latest change of the record and of what depends on it.
 *
 * @param childAge a child's records (person record, episodes, concerns): not before this birthday (25: children's
 *     records are commonly kept to the 25th birthday, the 26th for a care leaver who was 17 at leaving care)
 * @param lookedAfterAge looked-after children: not before this birthday (75, as the care case record must be kept,
 *     Care Planning, Placement and Case Review (England) Regulations 2010, reg. 50)
 * @param personYears person records: years after the last activity
 * @param episodeYears missing episodes: years after the episode's last activity (police MoPI reviews at 6 years)
 * @param concernYears exploitation concerns: years after the concern's last activity (longer: abuse that comes to
 *     light years later, IICSA's retention guidance)
 * @param importRunDays import runs (quarantined rows hold rows as received, and previous versions): days after the run
 *     or its last corrected row
 * @param adultYears adults of concern: years after their last link to a child, place or other adult
 * @param schedule the daily job (cron, Europe/London)
 * @param pageSize rows per page of the administrator's list
 */
@ConfigurationProperties("sightline.retention")
record RetentionProperties(
        @DefaultValue("25") int childAge,
        @DefaultValue("75") int lookedAfterAge,
        @DefaultValue("6") int personYears,
        @DefaultValue("6") int episodeYears,
        @DefaultValue("10") int concernYears,
        @DefaultValue("90") int importRunDays,
        @DefaultValue("6") int adultYears,
        @DefaultValue("0 30 2 * * *") String schedule,
        @DefaultValue("50") int pageSize) {}
