package org.sightline.ssda903;

/** A local authority as the agency that holds its records: ONS code (= agency code), name and DfE 3-digit number. */
public record Authority(long agencyId, String code, String name, String laNumber) {}
