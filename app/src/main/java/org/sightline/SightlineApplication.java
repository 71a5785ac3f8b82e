package org.sightline;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Spring application. Started by {@link SightlineMain} for the commands that need it. */
@SpringBootApplication
public class SightlineApplication {}
