/* tests/test_reports.c -- the reports module: the sanitizer (UTF-8,
 * characters markup cannot carry, escaping per context, caps), the results
 * model's counts, exit status and headline, and each writer against golden
 * files (tests/data/reports/<case>/; AC_UPDATE_GOLDEN=1 rewrites them).
 * The writers in detail are in test_reports_writers.c, the JSON round trip,
 * merge, diff and baseline in test_reports_data.c; the shared fixtures in
 * reportfix.h. This file's test_register() adds all three suites. */
#include "testutil.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../reports/report_text.h"
#include "../reports/reports.h"
#include "reportfix.h"

/* ---- sanitizer ------------------------------------------------------------ */

static char *put(const char *s, enum report_ctx ctx, size_t cap, unsigned flags)
{
    struct ac_buf b = AC_BUF_INIT;

    report_text_put(&b, s, ctx, cap, flags);
    return ac_buf_take(&b);
}

#define EXPECT_PUT(s, ctx, cap, flags, want)                                                       \
    do {                                                                                           \
        char *got_ = put((s), (ctx), (cap), (flags));                                              \
        T_EQ_STR(got_, (want));                                                                    \
        free(got_);                                                                                \
    } while (0)

static void test_reports_sanitize_utf8(void)
{
    /* One U+FFFD per bad byte: stray continuation, overlong, truncated. */
    EXPECT_PUT("a\x80z", REPORT_CTX_CLEAN, 0, 0, "a" FFFD "z");
    EXPECT_PUT("\xC0\xAF", REPORT_CTX_CLEAN, 0, 0, FFFD FFFD);
    EXPECT_PUT("x\xE2\x82", REPORT_CTX_CLEAN, 0, 0, "x" FFFD FFFD);
    /* A lone UTF-16 surrogate encoded as UTF-8 (CESU) is invalid. */
    EXPECT_PUT("\xED\xA0\x80!", REPORT_CTX_CLEAN, 0, 0, FFFD FFFD FFFD "!");
    /* Past U+10FFFF. */
    EXPECT_PUT("\xF4\x90\x80\x80", REPORT_CTX_UTF8, 0, 0, FFFD FFFD FFFD FFFD);
    /* Valid text passes unchanged, including U+FFFD itself. */
    EXPECT_PUT("负载均衡 " FFFD, REPORT_CTX_CLEAN, 0, 0, "负载均衡 " FFFD);
}

static void test_reports_sanitize_forbidden(void)
{
    /* C0 controls but tab, LF, CR; DEL; C1. */
    EXPECT_PUT("\x01\x1b[31m\t\n\r\x7f", REPORT_CTX_CLEAN, 0, 0, FFFD FFFD "[31m\t\n\r" FFFD);
    EXPECT_PUT("\xC2\x85\xC2\x9F\xC2\xA0", REPORT_CTX_CLEAN, 0, 0, FFFD FFFD "\xC2\xA0");
    /* The U+FFFF / U+10000 boundary: U+FFFE and U+FFFF go, U+FFFD and
     * U+10000 stay (pytest #14483 escaped everything above U+FFFF). */
    EXPECT_PUT("\xEF\xBF\xBC\xEF\xBF\xBD\xEF\xBF\xBE\xEF\xBF\xBF\xF0\x90\x80\x80",
               REPORT_CTX_XML_TEXT, 0, 0, "\xEF\xBF\xBC" FFFD FFFD FFFD "\xF0\x90\x80\x80");
    /* Noncharacters of the other planes and U+FDD0. */
    EXPECT_PUT("\xF0\x9F\xBF\xBF\xEF\xB7\x90\xF4\x8F\xBF\xBD", REPORT_CTX_HTML, 0, 0,
               FFFD FFFD "\xF4\x8F\xBF\xBD");
    /* JSON keeps controls (jansson escapes them) but not bad UTF-8. */
    EXPECT_PUT("\x01\x7f\xff", REPORT_CTX_UTF8, 0, 0, "\x01\x7f" FFFD);
}

static void test_reports_escape_contexts(void)
{
    const char *s = "a&b<c>d\"e'f\tg\nh\ri]]>";

    EXPECT_PUT(s, REPORT_CTX_XML_TEXT, 0, 0, "a&amp;b&lt;c&gt;d&quot;e&#39;f\tg\nh&#13;i]]&gt;");
    EXPECT_PUT(s, REPORT_CTX_XML_ATTR, 0, 0,
               "a&amp;b&lt;c&gt;d&quot;e&#39;f&#9;g&#10;h&#13;i]]&gt;");
    EXPECT_PUT(s, REPORT_CTX_HTML, 0, 0, "a&amp;b&lt;c&gt;d&quot;e&#39;f\tg\nh\ri]]&gt;");
    EXPECT_PUT(s, REPORT_CTX_XML_ATTR, 0, REPORT_TEXT_ONELINE,
               "a&amp;b&lt;c&gt;d&quot;e&#39;f g h i]]&gt;");
    EXPECT_PUT("a|b`c*d_e[f](g)\\h<i>&#", REPORT_CTX_MD_TEXT, 0, 0,
               "a\\|b\\`c\\*d\\_e\\[f\\]\\(g\\)\\\\h&lt;i&gt;&amp;\\#");
    EXPECT_PUT("line\none|two", REPORT_CTX_MD_TEXT, 0, 0, "line one\\|two");
}

static void test_reports_cap_marker(void)
{
    /* The cap falls inside the 3-byte character: it is not split. */
    EXPECT_PUT("ab负c", REPORT_CTX_CLEAN, 4, 0, "ab\n[truncated: 2 of 6 bytes shown]");
    EXPECT_PUT("abcdef", REPORT_CTX_XML_ATTR, 3, REPORT_TEXT_ONELINE,
               "abc [truncated: 3 of 6 bytes shown]");
    EXPECT_PUT("abc", REPORT_CTX_CLEAN, 3, 0, "abc");
    EXPECT_PUT("", REPORT_CTX_CLEAN, 3, 0, "");
}

static void test_reports_md_code_span(void)
{
    struct ac_buf b = AC_BUF_INIT;

    report_text_md_code(&b, "plain", 0, 0);
    T_EQ_STR(b.data, "`plain`");
    ac_buf_reset(&b);
    report_text_md_code(&b, "a``b`", 0, 0);
    T_EQ_STR(b.data, "``` a``b` ```");
    ac_buf_reset(&b);
    report_text_md_code(&b, "x|y\nz<script>", 0, REPORT_TEXT_PIPE);
    T_EQ_STR(b.data, "`x\\|y z<script>`");
    ac_buf_reset(&b);
    report_text_md_code(&b, "", 0, 0);
    T_EQ_STR(b.data, "`\"\"`");
    ac_buf_release(&b);
}

static void test_reports_formats(void)
{
    char b[64];

    T_EQ_STR(report_fmt_seconds(b, sizeof b, 0), "0.000");
    T_EQ_STR(report_fmt_seconds(b, sizeof b, 7), "0.007");
    T_EQ_STR(report_fmt_seconds(b, sizeof b, 12345), "12.345");
    T_EQ_STR(report_fmt_seconds(b, sizeof b, 3600000), "3600.000");
    T_EQ_STR(report_fmt_seconds(b, sizeof b, -5), "0.000");
    T_EQ_STR(report_fmt_time(b, sizeof b, 0, 'T'), "1970-01-01T00:00:00");
    T_EQ_STR(report_fmt_time(b, sizeof b, 1714566896123LL, 'T'), "2024-05-01T12:34:56");
    T_EQ_STR(report_fmt_time(b, sizeof b, 1709251199000LL, ' '), "2024-02-29 23:59:59");
    T_EQ_STR(report_fmt_time(b, sizeof b, 4102444800000LL, 'T'), "2100-01-01T00:00:00");
    T_EQ_STR(report_suite_name(b, sizeof b, NULL, 4), "04 load balancers");
}

/* ---- results model --------------------------------------------------------- */

static void test_reports_counts_and_exit(void)
{
    struct run_results r;
    struct results_counts n;

    rf_model_failures(&r);
    results_count(&r, &n);
    T_EQ_INT(n.total, 11);
    T_EQ_INT(n.passed, 1);
    T_EQ_INT(n.failed, 10);
    T_EQ_INT(n.known, 1);
    T_EQ_INT(results_exit_status(&r), 1);
    results_release(&r);
    T_EQ_INT(r.nresults, 0);
    T_TRUE(r.results == NULL);

    rf_model_pass(&r);
    T_EQ_INT(results_exit_status(&r), 0);
    results_release(&r);

    rf_model_errors_skips(&r);
    results_count(&r, &n);
    T_EQ_INT(n.errors, 3);
    T_EQ_INT(n.skipped, 2);
    T_EQ_INT(results_exit_status(&r), 3);
    results_release(&r);

    T_EQ_STR(verdict_name(VERDICT_PASS), "passed");
    T_EQ_STR(verdict_name(VERDICT_FAIL), "failed");
    T_EQ_STR(verdict_name(VERDICT_ERROR), "error");
    T_EQ_STR(verdict_name(VERDICT_SKIP), "skipped");
}

/* The headline says what was judged; a partial run is never a pass. */
static void test_reports_headline(void)
{
    struct catalog *c = rf_test_catalog();
    struct catalog *one =
        catalog_load_buffer("one.json",
                            "{\"format\": \"apiconform-catalog/1\", \"entries\": ["
                            "{\"code\": 4000001, \"message\": \"Invalid parameters.\"}]}",
                            strlen("{\"format\": \"apiconform-catalog/1\", \"entries\": ["
                                   "{\"code\": 4000001, \"message\": \"Invalid parameters.\"}]}"),
                            NULL);
    struct run_results r;
    struct report_headline h;

    /* Every scenario passed, but 6 of the catalog's 10 codes: partial. */
    rf_model_pass(&r);
    report_headline(&r, c, &h);
    T_EQ_INT(h.state, REPORT_HEADLINE_PARTIAL);
    T_EQ_STR(h.name, "partial");
    T_EQ_STR(h.text, "Partial pass: 6 of 6 scenarios ran, 6 of 10 codes verified");
    T_EQ_INT(results_exit_status(&r), 0);
    /* Without a catalog the codes are those of the results: a full pass. */
    report_headline(&r, NULL, &h);
    T_EQ_INT(h.state, REPORT_HEADLINE_PASSED);
    T_EQ_STR(h.text, "Passed: 6 of 6 scenarios ran, 6 of 6 codes verified");
    /* One skip makes it partial, whatever the codes. */
    rf_add(&r, 4000001, "also-stateful", VERDICT_SKIP, "requires creating and deleting resources");
    report_headline(&r, NULL, &h);
    T_EQ_STR(h.text, "Partial pass: 6 of 7 scenarios ran, 6 of 6 codes verified (1 skipped)");
    /* ... and under --fail-on-skip the run is not judged, exit 3. */
    r.fail_on_skip = 1;
    report_headline(&r, NULL, &h);
    T_EQ_INT(h.state, REPORT_HEADLINE_ERROR);
    T_EQ_STR(h.text, "Not judged: 1 skipped under --fail-on-skip; 6 of 7 scenarios ran, 6 of 6 "
                     "codes verified (1 skipped)");
    T_EQ_INT(results_exit_status(&r), 3);
    results_release(&r);

    /* A full pass against a one-code catalog. */
    rf_run_init(&r);
    rf_set_got(rf_add(&r, 4000001, "p", VERDICT_PASS, ""), 400, 4000001, "Invalid parameters.");
    report_headline(&r, one, &h);
    T_EQ_INT(h.state, REPORT_HEADLINE_PASSED);
    T_EQ_STR(h.word, "Passed");
    T_EQ_STR(h.text, "Passed: 1 of 1 scenario ran, 1 of 1 codes verified");
    results_release(&r);

    rf_model_failures(&r);
    report_headline(&r, c, &h);
    T_EQ_INT(h.state, REPORT_HEADLINE_FAILED);
    T_CONTAINS(h.text, "Failed: 9 scenarios broke the contract; 11 of 11 scenarios ran, ");
    T_CONTAINS(h.text, "(1 known failure)");
    results_release(&r);

    rf_model_errors_skips(&r);
    report_headline(&r, c, &h);
    T_EQ_INT(h.state, REPORT_HEADLINE_ERROR);
    T_CONTAINS(h.text, "Not judged: 3 errors (1 interrupted), run interrupted; ");
    results_release(&r);

    /* Nothing ran. */
    rf_run_init(&r);
    rf_add(&r, 4000001, "s", VERDICT_SKIP, "requires fault injection");
    report_headline(&r, c, &h);
    T_EQ_INT(h.state, REPORT_HEADLINE_NONE);
    T_EQ_STR(h.text, "Nothing judged: 0 of 1 scenario ran, 0 of 10 codes verified (1 skipped)");
    results_release(&r);
    catalog_free(c);
    catalog_free(one);
}

/* ---- golden files ---------------------------------------------------------- */

static void golden_case(const char *kase, void (*build)(struct run_results *))
{
    struct catalog *c = rf_test_catalog();
    struct run_results r;
    struct ac_buf b = AC_BUF_INIT;
    struct ac_error err = AC_ERROR_INIT;
    const char *path;

    build(&r);
    T_EQ_INT(report_junit_write(&r, c, &b), 0);
    rf_golden(kase, "junit.xml", &b);
    path = t_write_temp(t_path("%s-junit.xml", kase), b.data, b.len);
    T_EQ_INT(rf_xsd_validate(path), 0);
    rf_check_junit_counts(path);
    ac_buf_reset(&b);
    T_EQ_INT(report_html_write(&r, c, &b), 0);
    rf_golden(kase, "report.html", &b);
    ac_buf_reset(&b);
    T_EQ_INT(report_md_write(&r, c, &b), 0);
    rf_golden(kase, "summary.md", &b);
    ac_buf_reset(&b);
    T_EQ_INT(report_json_write(&r, c, &b), 0);
    rf_golden(kase, "results.json", &b);
    /* The file variants write the same bytes. */
    path = t_write_temp(t_path("%s-x.json", kase), "", 0);
    T_EQ_INT(report_json_write_file(&r, c, path, &err), 0);
    {
        size_t len = 0;
        char *got = t_read_file(path, &len);

        T_EQ_INT(len, b.len);
        T_TRUE(got && memcmp(got, b.data, len) == 0);
        free(got);
    }
    ac_buf_release(&b);
    results_release(&r);
    catalog_free(c);
}

static void test_reports_golden_pass(void)
{
    golden_case("pass", rf_model_pass);
}

static void test_reports_golden_failures(void)
{
    golden_case("failures", rf_model_failures);
}

static void test_reports_golden_errors_skips(void)
{
    golden_case("errors_skips", rf_model_errors_skips);
}

/* ---- registration ---- */

int test_register(void)
{
    static const struct {
        const char *name;
        CU_TestFunc fn;
    } tests[] = {
        {"replaces bad UTF-8 byte by byte", test_reports_sanitize_utf8},
        {"replaces characters XML and HTML cannot carry", test_reports_sanitize_forbidden},
        {"escapes for each context", test_reports_escape_contexts},
        {"caps fields at a character boundary with a marker", test_reports_cap_marker},
        {"fences Markdown code spans", test_reports_md_code_span},
        {"formats times without locale or zone", test_reports_formats},
        {"counts verdicts and derives the exit status", test_reports_counts_and_exit},
        {"the headline says what was judged", test_reports_headline},
        {"golden: passing run", test_reports_golden_pass},
        {"golden: a failure of each check", test_reports_golden_failures},
        {"golden: errors and skips", test_reports_golden_errors_skips},
    };
    CU_pSuite s = CU_add_suite("reports: sanitizer, model, golden files", NULL, NULL);
    size_t i;

    if (!s)
        return -1;
    for (i = 0; i < sizeof tests / sizeof tests[0]; i++)
        if (!CU_add_test(s, tests[i].name, tests[i].fn))
            return -1;
    if (rf_register_writers() < 0 || rf_register_data() < 0)
        return -1;
    return 0;
}
