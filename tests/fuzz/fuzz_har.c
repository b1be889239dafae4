/* tests/fuzz/fuzz_har.c -- libFuzzer target: any bytes as a HAR file
 * through the reader, the passive judging, and every report writer.
 * Invariants: no crash, no leak, every report valid UTF-8 (XML-clean for
 * JUnit and HTML), and an error names the entry and field or the JSON
 * position. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../reports/reports.h"
#include "../../runners/har.h"
#include "../../runners/passive.h"
#include "fuzz_invariants.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct catalog *cat;
static struct route_table *routes;

static int on_entry(void *ud, const struct passive_answer *a, struct ac_error *err)
{
    (void)err;
    return passive_add(ud, a, NULL, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ac_error err = AC_ERROR_INIT;
    struct redactor *red;
    struct passive *p;
    struct passive_options po;
    struct run_results rr;
    struct ac_buf b = AC_BUF_INIT;
    char text[600];

    if (!cat) {
        cat = catalog_load("catalog/nce-errors.json", &err);
        routes = route_table_load("catalog/routes.json", &err);
        if (!cat || !routes)
            abort();
    }
    memset(&rr, 0, sizeof rr);
    passive_options_default(&po);
    po.all = size & 1;
    red = redact_new();
    p = passive_new(cat, routes, red, &po);
    if (!red || !p)
        abort();
    if (har_read_buffer("f.har", (const char *)data, size, on_entry, p, &err) < 0) {
        ac_error_str(&err, text, sizeof text);
        if (strncmp(text, "f.har", 5) != 0)
            abort();
    } else {
        rr.run_id = ac_strdup("cfuzz");
        rr.target = ac_strdup("(fuzz)");
        if (passive_results(p, &rr, &err) < 0)
            abort();
        if (report_json_write(&rr, cat, &b) < 0)
            abort();
        fuzz_check_text(&b, 0);
        ac_buf_reset(&b);
        if (report_junit_write(&rr, cat, &b) < 0)
            abort();
        fuzz_check_text(&b, 1);
        ac_buf_reset(&b);
        if (report_html_write(&rr, cat, &b) < 0)
            abort();
        fuzz_check_html(&b);
        ac_buf_reset(&b);
        if (report_md_write(&rr, cat, &b) < 0)
            abort();
        fuzz_check_text(&b, 0);
    }
    ac_buf_release(&b);
    results_release(&rr);
    passive_free(p);
    redact_free(red);
    return 0;
}
