package org.sightline.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.deque.html.axecore.args.AxeRunOptions;
import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium driven by Playwright: its headless shell (package chromium-headless-shell) where installed, else
 * the full browser (package chromium) in headless mode, or whatever SIGHTLINE_CHROMIUM names. The shell is Chromium
 * without the browser's user interface, the build Playwright itself runs headless; the same browser tests took a
 * fifth less time with it on two cores. Where neither is present the browser tests are skipped with a message,
 * except under CI=true, where they fail: CI must install one.
 */
public final class Browser implements AutoCloseable {

    private static final Path HEADLESS_SHELL = Path.of("/usr/bin/chromium-headless-shell");
    public static final Path CHROMIUM = Path.of(System.getenv()
            .getOrDefault(
                    "SIGHTLINE_CHROMIUM",
                    Files.isExecutable(HEADLESS_SHELL) ? HEADLESS_SHELL.toString() : "/usr/bin/chromium"));
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final BrowserContext context;
    public final Page page;

    private Browser(BrowserContext context) {
        this.context = context;
        this.page = context.newPage();
    }

    /**
     * A fresh browser context (own cookies and storage) in the test JVM's one Chromium. Starting Playwright's driver
     * and Chromium costs 2–3 s on two cores, so they are started once and closed when the JVM exits.
     */
    public static Browser open() {
        if (!Files.isExecutable(CHROMIUM)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("Chromium not found at " + CHROMIUM
                        + ": CI must install Debian's chromium-headless-shell (or chromium) package");
            }
            Assumptions.abort("Browser test skipped: Chromium not found at " + CHROMIUM
                    + " (apt-get install chromium-headless-shell, or set SIGHTLINE_CHROMIUM)");
        }
        return new Browser(Chromium.INSTANCE.browser.newContext(new NewContextOptions()
                .setLocale("en-GB")
                .setTimezoneId("Europe/London")
                .setViewportSize(1200, 900)));
    }

    /** The JVM's Playwright driver and Chromium, started on first use. */
    private static final class Chromium {
        static final Chromium INSTANCE = new Chromium();

        final Playwright playwright;
        final com.microsoft.playwright.Browser browser;

        private Chromium() {
            playwright = Playwright.create(
                    new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
            browser = playwright
                    .chromium()
                    .launch(new BrowserType.LaunchOptions()
                            .setExecutablePath(CHROMIUM)
                            .setHeadless(true)
                            .setArgs(List.of(
                                    "--no-sandbox",
                                    "--disable-gpu",
                                    "--disable-background-networking",
                                    "--disable-component-update",
                                    "--disable-sync",
                                    "--no-first-run",
                                    "--disable-quic")));
            Runtime.getRuntime().addShutdownHook(new Thread(playwright::close, "playwright-close"));
        }
    }

    /** Signs in through the sign-in page of the application at {@code baseUrl}, as a user with the test password. */
    public void signIn(String baseUrl, String username) {
        page.context().clearCookies();
        page.navigate(baseUrl + "/sign-in");
        page.getByLabel("User name").fill(username);
        page.getByLabel("Password").fill(TestData.PASSWORD);
        button("Sign in").click();
    }

    /** The button with exactly this accessible name. */
    public com.microsoft.playwright.Locator button(String name) {
        return page.getByRole(
                com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    /** The link with exactly this accessible name. */
    public com.microsoft.playwright.Locator link(String name) {
        return page.getByRole(
                com.microsoft.playwright.options.AriaRole.LINK,
                new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    /** Fills a GOV.UK date-and-time group whose inputs are {@code prefix}Day, Month, Year and Time. */
    public void fillDateTime(String prefix, java.time.LocalDateTime t) {
        page.locator("#" + prefix + "Day").fill(String.valueOf(t.getDayOfMonth()));
        page.locator("#" + prefix + "Month").fill(String.valueOf(t.getMonthValue()));
        page.locator("#" + prefix + "Year").fill(String.valueOf(t.getYear()));
        page.locator("#" + prefix + "Time").fill(String.format("%02d:%02d", t.getHour(), t.getMinute()));
    }

    /** Saves a full-page screenshot under target/screenshots and runs axe: no serious or critical violations. */
    public void check(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        screenshot(SCREENSHOTS.resolve(name + ".png"));
        // Legacy mode runs axe once in the page. The default injects axe into every frame, then again into a new
        // blank page to merge the frames' results: about 1.9 s a check instead of 0.5 on two cores. Sightline's
        // pages have no frames, so the verdict is the same (BrowserCheckTest holds that it still fails).
        // Only violations are read: axe still runs every rule, but builds selectors and node lists for violations
        // alone instead of for every passing node too (most of a check's time on a long page).
        AxeRunOptions violationsOnly = new AxeRunOptions();
        violationsOnly.setResultTypes(List.of("violations"));
        AxeResults results = new AxeBuilder(page)
                .setLegacyMode(true)
                .options(violationsOnly)
                .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"))
                .analyze();
        List<String> serious = results.getViolations().stream()
                .filter(v -> "serious".equals(v.getImpact()) || "critical".equals(v.getImpact()))
                .map(Browser::describe)
                .toList();
        assertThat(serious)
                .as("serious or critical accessibility violations on " + name)
                .isEmpty();
    }

    /**
     * Headless Chromium on a loaded machine sometimes never delivers the frame a screenshot waits for after a viewport
     * change (Playwright's "fonts loaded" then a 30 s timeout). The picture is for people to look at; the assertions
     * are axe's and the test's own. So: a bounded wait, a nudge that forces a new frame, a second try, and if Chromium
     * still produces nothing, a line on standard error instead of failing an otherwise passing test.
     */
    private void screenshot(Path file) {
        Page.ScreenshotOptions options =
                new Page.ScreenshotOptions().setPath(file).setFullPage(true).setTimeout(15_000);
        try {
            page.screenshot(options);
        } catch (com.microsoft.playwright.TimeoutError first) {
            var size = page.viewportSize();
            page.setViewportSize(size.width, size.height + 1);
            page.setViewportSize(size.width, size.height);
            try {
                page.screenshot(options);
            } catch (com.microsoft.playwright.TimeoutError second) {
                System.err.println("Screenshot " + file.getFileName() + " not taken: Chromium produced no frame");
            }
        }
    }

    private static String describe(Rule rule) {
        return rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + " at "
                + rule.getNodes().stream()
                        .map(n -> String.valueOf(n.getTarget()))
                        .limit(3)
                        .toList();
    }

    @Override
    public void close() {
        context.close();
    }
}
