/* tests/fuzz/fuzz_escape.c -- libFuzzer target: the report writers' escaping.
 * The input is cut at NUL bytes into the server-controlled fields of one
 * failed result (summary, message, excerpt, transcript, expected, actual,
 * request id text); every writer must produce valid output. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../reports/reports.h"
#include "fuzz_invariants.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *field(const uint8_t **p, const uint8_t *end)
{
    const uint8_t *z = memchr(*p, 0, (size_t)(end - *p));
    size_t n = z ? (size_t)(z - *p) : (size_t)(end - *p);
    char *s = malloc(n + 1);

    memcpy(s, *p, n);
    s[n] = '\0';
    *p += n + (z ? 1 : 0);
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data, *end = data + size;
    struct run_results r;
    struct result *res = calloc(1, sizeof *res);
    struct ac_buf b = AC_BUF_INIT;

    memset(&r, 0, sizeof r);
    r.run_id = strdup("rfuzz");
    r.target = field(&p, end);
    r.tool_version = strdup("0");
    r.catalog_path = strdup("c");
    r.catalog_sha256 = strdup("0");
    r.suite_path = strdup("s");
    r.suite_sha256 = strdup("0");
    r.capabilities = strdup("");
    r.hostname = strdup("h");
    r.results = res;
    r.nresults = 1;
    res->scenario_id = field(&p, end);
    res->code = 4040402;
    res->service = 4;
    res->title = field(&p, end);
    res->file = strdup("suite/04/4040402.json");
    res->cls = strdup("stateless");
    res->verdict = size % 4 == 0 ? VERDICT_ERROR : VERDICT_FAIL;
    res->summary = field(&p, end);
    res->failures = calloc(1, sizeof *res->failures);
    res->nfailures = 1;
    res->failures[0].check = strdup("message");
    res->failures[0].expected = field(&p, end);
    res->failures[0].actual = field(&p, end);
    res->failures[0].detail = field(&p, end);
    res->curl = field(&p, end);
    res->transcript = field(&p, end);
    res->got_status = 404;
    res->got_code = 4040402;
    res->got_message = field(&p, end);
    res->response_excerpt = field(&p, end);

    report_junit_write(&r, NULL, &b);
    fuzz_check_text(&b, 1);
    ac_buf_reset(&b);
    report_html_write(&r, NULL, &b);
    fuzz_check_html(&b);
    ac_buf_reset(&b);
    report_md_write(&r, NULL, &b);
    fuzz_check_text(&b, 0);
    if (b.len > 64 * 1024)
        abort();
    ac_buf_reset(&b);
    report_json_write(&r, NULL, &b);
    fuzz_check_text(&b, 0);
    {
        struct run_results back;
        struct ac_error err = AC_ERROR_INIT;
        if (report_json_read_buffer("fuzz", b.data, b.len, &back, NULL, &err) != 0)
            abort(); /* what we write we can read */
        results_release(&back);
    }
    ac_buf_release(&b);
    results_release(&r);
    return 0;
}
