package org.sightline.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A second JVM on this test run's class path, for tests that kill a process (SIGKILL) and check what it leaves
 * behind: the import command mid-run, the demo's database owner. C1 JIT only, as it lives for seconds.
 */
public final class ChildJvm {

    private ChildJvm() {}

    /** Starts {@code mainClass} with {@code args}; stdout and stderr go to {@code log}. */
    public static Process start(Path log, List<String> jvmOptions, String mainClass, List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }
}
