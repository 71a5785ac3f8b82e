package org.sightline.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve}'s TLS and proxy options become Spring's settings, and go wrong as one-line usage errors. */
class ServeTransportTest {

    private static ServeCommand parsed(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return serve;
    }

    @Test
    void withNeitherOptionNothingIsTrustedAndCookiesFollowTheRequest() {
        assertThat(parsed().transportArguments()).isEmpty();
    }

    @Test
    void behindAProxyItsForwardedHeadersAreTrustedAndCookiesAreSecure() {
        assertThat(parsed("--behind-proxy").transportArguments())
                .containsExactly(
                        "--server.forward-headers-strategy=native", "--server.servlet.session.cookie.secure=true");
        assertThat(parsed("--behind-proxy", "--trusted-proxies", "10\\.1\\.2\\.3")
                        .transportArguments())
                .contains("--server.tomcat.remoteip.internal-proxies=10\\.1\\.2\\.3");
    }

    @Test
    void tlsNeedsACertificateAndItsKeyBothReadable(@TempDir Path tmp) throws IOException {
        Path cert = Files.writeString(tmp.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n");
        Path key = Files.writeString(tmp.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n");
        assertThat(parsed("--tls-certificate", cert.toString(), "--tls-private-key", key.toString())
                        .transportArguments())
                .containsExactly(
                        "--server.ssl.certificate=file:" + cert.toAbsolutePath(),
                        "--server.ssl.certificate-private-key=file:" + key.toAbsolutePath(),
                        "--server.servlet.session.cookie.secure=true");

        var alone = CommandLineErrorsTest.run("serve", "--tls-certificate", cert.toString());
        assertThat(alone.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(alone.err().get(0))
                .isEqualTo("sightline serve: --tls-certificate and --tls-private-key go together");
        var missing = CommandLineErrorsTest.run(
                "serve",
                "--tls-certificate",
                cert.toString(),
                "--tls-private-key",
                tmp.resolve("nope.pem").toString());
        assertThat(missing.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(missing.err().get(0)).endsWith("nope.pem is not a readable file");
        var proxies = CommandLineErrorsTest.run("serve", "--trusted-proxies", "10\\..*");
        assertThat(proxies.err().get(0)).isEqualTo("sightline serve: --trusted-proxies needs --behind-proxy");
    }
}
