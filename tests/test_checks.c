/* tests/test_checks.c -- the check table (runners/checks.def) and what is
 * made of it: the names in help texts, --skip-check and its suggestion,
 * the order of the outcomes, which checks the HTML report marks; the
 * header fields of an answer as struct observed keeps them; and the check
 * that proves a new check is one row: retry-after, on its function, on
 * recorded traffic and through the whole run against a raw server. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../reports/reports.h"
#include "../runners/check.h"
#include "../runners/passive.h"
#include "rawserver.h"
#include "testutil.h"

#define UUID "0f8e2c1a-6b7d-4c3e-9a2b-5d4c3b2a1f00"

static struct catalog *cat;

static int init(void)
{
    struct ac_error e = AC_ERROR_INIT;

    cat = catalog_load(t_path("%s/catalog/nce-errors.json", t_root()), &e);
    return cat ? 0 : -1;
}

static int clean(void)
{
    catalog_free(cat);
    return 0;
}

static const unsigned char *all_checks(void)
{
    static unsigned char on[CHECK_COUNT];

    memset(on, 1, sizeof on);
    return on;
}

/* "name,name," of the outcomes of l, all or only the failed ones. */
static void outcome_names(const struct check_list *l, int failed_only, char *out, size_t size)
{
    size_t i;

    out[0] = '\0';
    for (i = 0; i < l->n; i++)
        if (!failed_only || !l->v[i].passed)
            snprintf(out + strlen(out), size - strlen(out), "%s,", check_name(l->v[i].id));
}

/* Every row is complete, and names, ids and mutations are one to one. */
static void test_checks_table_rows(void)
{
    int i, k;

    for (i = 0; i < CHECK_COUNT; i++) {
        const struct check_row *r = check_row(i);
        T_TRUE(r != NULL);
        if (!r)
            continue;
        T_TRUE(r->name && r->name[0]);
        T_TRUE(r->judge != NULL);
        T_TRUE(r->mutation && r->mutation[0]);
        T_TRUE(!r->gate || strncmp(r->gate, "--", 2) == 0);
        T_TRUE(r->shown == CHECK_SHOWN_VALUES || r->shown == CHECK_SHOWN_WORDS);
        T_EQ_STR(check_name((enum check_id)i), r->name);
        T_EQ_INT(check_by_name(r->name), i);
        for (k = 0; k < i; k++) {
            T_TRUE(strcmp(check_row(k)->name, r->name) != 0);
            T_TRUE(strcmp(check_row(k)->mutation, r->mutation) != 0);
        }
    }
    T_TRUE(check_row(-1) == NULL);
    T_TRUE(check_row(CHECK_COUNT) == NULL);
    T_EQ_STR(check_name(CHECK_COUNT), "?");
    T_EQ_INT(check_by_name("no-such-check"), -1);
    T_EQ_STR(check_name(CHECK_CONTENT_TYPE), "content-type");
}

/* The lists of names the help texts and messages use. */
static void test_checks_names_text(void)
{
    struct passive_options po;
    char *s;

    s = check_names_text(NULL, 0);
    T_EQ_STR(s, "status, body, code, consistency, known, message, content-type, request-id, "
                "response-time, retry-after");
    free(s);
    s = check_names_text(NULL, CHECK_NAMES_GATES);
    T_EQ_STR(s, "status, body, code, consistency, known, message, content-type, request-id, "
                "retry-after, and with --max-response-ms response-time");
    free(s);
    /* apiconform check: what the passive judging runs. */
    passive_options_default(&po);
    s = check_names_text(po.enabled, CHECK_NAMES_UNGATED);
    T_EQ_STR(s, "body, consistency, known, message, content-type, request-id, retry-after");
    free(s);
}

static void test_checks_suggest(void)
{
    T_EQ_STR(check_suggest("reqest-id"), "request-id");
    T_EQ_STR(check_suggest("Content-Type"), "content-type");
    T_EQ_STR(check_suggest("response_time"), "response-time");
    T_TRUE(check_suggest("x") == NULL);
    T_TRUE(check_suggest("everything") == NULL);
}

/* Runs apiconform with args (NULL-ended); returns the exit status. */
static int run(const char *const *args, char **out, char **err)
{
    char *argv[16];
    size_t n = 0;

    argv[n++] = (char *)t_path("%s/apiconform", t_build());
    while (*args && n + 1 < sizeof argv / sizeof argv[0])
        argv[n++] = (char *)*args++;
    argv[n] = NULL;
    return t_run(argv, NULL, out, err);
}

/* The help texts list the checks from the table (before retry-after, word
 * for word the text each replaced). A mistyped --skip-check gets the near
 * name, else all. */
static void test_checks_help_and_skip_check(void)
{
    static const char *const run_help[] = {"run", "--help", NULL};
    static const char *const check_help[] = {"check", "--help", NULL};
    static const char *const typo[] = {"run", "--skip-check", "reqest-id", NULL};
    static const char *const unknown[] = {"run", "--skip-check", "everything", NULL};
    char *out = NULL, *err = NULL;

    T_EQ_INT(run(run_help, &out, &err), 0);
    T_CONTAINS(out, "Send the suite's scenarios to the target and check every error response\n"
                    "against the catalog: status, body, code, consistency, known, message,\n"
                    "content-type, request-id, retry-after, and with --max-response-ms\n"
                    "response-time.\n"
                    "\n"
                    "Options:\n");
    free(out);
    free(err);
    T_EQ_INT(run(check_help, &out, &err), 0);
    T_CONTAINS(out,
               "Judge every error answer (status >= 400) of recorded traffic against the error\n"
               "contract: body, consistency, known, message, content-type, request-id,\n"
               "retry-after. Answers are grouped per (method, route, code); each group is one\n"
               "test case of the reports. Answers whose body was not captured or was truncated\n"
               "are not judged.\n"
               "\n"
               "Options:\n");
    free(out);
    free(err);
    T_EQ_INT(run(typo, &out, &err), 2);
    T_EQ_STR(err, "apiconform: --skip-check: no check named 'reqest-id' (did you mean "
                  "request-id?)\nTry 'apiconform --help' for more information.\n");
    free(out);
    free(err);
    T_EQ_INT(run(unknown, &out, &err), 2);
    T_EQ_STR(err, "apiconform: --skip-check: no check named 'everything' (status, body, code, "
                  "consistency, known, message, content-type, request-id, response-time, "
                  "retry-after)\n"
                  "Try 'apiconform --help' for more information.\n");
    free(out);
    free(err);
}

/* The probe's checks, then every answer's, then the time: the order the
 * reports list failures in, whatever the table's order of names. */
static void test_checks_run_order(void)
{
    static const char body[] = "{\"code\": 4049999, \"message\": \"No such thing\"}";
    struct check_header h[] = {{"Content-Type", "text/html"}};
    struct check_input in;
    struct observed o;
    struct check_list l = {NULL, 0};
    char got[300];

    check_observe(200, h, 1, body, strlen(body), &o);
    memset(&in, 0, sizeof in);
    in.o = &o;
    in.cat = cat;
    in.expected = catalog_find(cat, 4040402);
    in.mode = MESSAGE_EXACT;
    in.ms = 50;
    in.budget_ms = 10;
    T_EQ_INT(check_run(&in, all_checks(), &l), 0);
    outcome_names(&l, 0, got, sizeof got);
    T_EQ_STR(got, "status,code,message,body,consistency,known,content-type,request-id,"
                  "response-time,");
    outcome_names(&l, 1, got, sizeof got);
    T_EQ_STR(got, "status,code,message,consistency,known,content-type,request-id,"
                  "response-time,");
    check_list_release(&l);
    /* Not the probe, no budget: the checks of every answer alone. */
    in.expected = NULL;
    in.budget_ms = 0;
    T_EQ_INT(check_run(&in, all_checks(), &l), 0);
    outcome_names(&l, 0, got, sizeof got);
    T_EQ_STR(got, "body,consistency,known,content-type,request-id,");
    check_list_release(&l);
    observed_release(&o);
}

static char *xdup(const char *s)
{
    return ac_strdup(s ? s : "");
}

/* The HTML report marks the first difference of exactly the checks whose
 * row says their values compare. */
static void test_checks_html_marks_comparable_values(void)
{
    int i;

    for (i = 0; i < CHECK_COUNT; i++) {
        struct run_results r;
        struct result *x;
        struct ac_buf b = AC_BUF_INIT;

        memset(&r, 0, sizeof r);
        r.run_id = xdup("rtest");
        r.target = xdup("http://127.0.0.1:9");
        r.tool_version = xdup("0.1.0");
        r.results = calloc(1, sizeof *r.results);
        r.nresults = 1;
        x = &r.results[0];
        x->scenario_id = xdup("s");
        x->code = 4040006;
        x->title = xdup("t");
        x->file = xdup("suite/00/4040006.json");
        x->cls = xdup("stateless");
        x->verdict = VERDICT_FAIL;
        x->summary = xdup("x");
        x->got_code = -1;
        x->failures = calloc(1, sizeof *x->failures);
        x->nfailures = 1;
        x->failures[0].check = xdup(check_name((enum check_id)i));
        x->failures[0].expected = xdup("abc");
        x->failures[0].actual = xdup("abd");
        x->failures[0].detail = xdup("");
        T_EQ_INT(report_html_write(&r, cat, &b), 0);
        if (check_row(i)->shown == CHECK_SHOWN_VALUES)
            T_CONTAINS(b.data, "<code>ab<mark>d</mark></code>");
        else
            T_NOT_CONTAINS(b.data, "<mark>");
        ac_buf_release(&b);
        results_release(&r);
    }
}

/* A raw header block as libcurl hands it over, reduced to fields. */
static void test_checks_header_block(void)
{
    static const char block[] = "HTTP/1.1 429 Too Many Requests\r\n"
                                "content-type:  application/json \r\n"
                                "Request-Id: " UUID "\t\r\n"
                                "no colon here\r\n"
                                "X-Folded: one\r\n"
                                " \t two \r\n"
                                "X-Nul: a\0b\r\n"
                                "Content-Type: text/html\n"
                                ": no name\r\n"
                                "X-Empty:\r\n"
                                "\r\n"
                                "Trailer-Field: after the body\r\n"
                                "\r\n";
    struct observed o;
    struct ac_buf many = AC_BUF_INIT;
    int i;

    check_observe_block(429, block, sizeof block - 1, "", 0, &o);
    T_EQ_INT(o.status, 429);
    T_EQ_INT(o.oom, 0);
    T_EQ_INT(o.nheaders, 6);
    T_EQ_STR(observed_header(&o, "Content-Type"), "application/json");
    T_EQ_STR(observed_header(&o, "REQUEST-ID"), UUID);
    T_EQ_STR(observed_header(&o, "x-folded"), "one two");
    T_EQ_STR(observed_header(&o, "X-Nul"), "a?b");
    T_EQ_STR(observed_header(&o, "X-Empty"), "");
    T_TRUE(observed_header(&o, "Trailer-Field") == NULL);
    T_TRUE(observed_header(&o, "no colon here") == NULL);
    T_TRUE(observed_header(&o, "Retry-After") == NULL);
    if (o.nheaders == 6)
        T_EQ_STR(o.headers[0].name, "content-type");
    observed_release(&o);
    /* At most CHECK_MAX_HEADERS fields, the first ones. */
    for (i = 0; i < CHECK_MAX_HEADERS + 5; i++)
        ac_buf_addf(&many, "X-%d: %d\r\n", i, i);
    check_observe_block(404, many.data, many.len, "", 0, &o);
    T_EQ_INT(o.nheaders, CHECK_MAX_HEADERS);
    T_EQ_STR(observed_header(&o, "X-99"), "99");
    T_TRUE(observed_header(&o, "X-100") == NULL);
    observed_release(&o);
    ac_buf_release(&many);
    /* No block: no fields, the body still observed. */
    check_observe_block(404, NULL, 0, "{}", 2, &o);
    T_EQ_INT(o.nheaders, 0);
    T_EQ_INT(o.body, BODY_BAD_MEMBERS);
    observed_release(&o);
}

/* A header list is kept as given; a NULL value reads as "". */
static void test_checks_header_list(void)
{
    struct check_header h[] = {{"Request-Id", " " UUID " "}, {NULL, "x"}, {"X-None", NULL}};
    struct observed o;

    check_observe(404, h, 3, "", 0, &o);
    T_EQ_INT(o.nheaders, 2);
    T_EQ_STR(observed_header(&o, "request-id"), " " UUID " ");
    T_EQ_STR(observed_header(&o, "X-None"), "");
    observed_release(&o);
}

/* The retry-after outcome of the ANSWER checks of a 429 (or another
 * status) with a Retry-After value (NULL: none); *n is how many there were. */
static const struct check_outcome *retry_after_of(int status, const char *ra, struct check_list *l,
                                                  size_t *n)
{
    static const char body[] = "{\"code\": 4030001, \"message\": \"Api freq out of limit.\"}";
    struct check_header h[] = {
        {"Content-Type", "application/json"}, {"Request-Id", UUID}, {"Retry-After", ra}};
    const struct check_outcome *hit = NULL;
    struct observed o;
    size_t i;

    check_observe(status, h, ra ? 3 : 2, body, strlen(body), &o);
    T_EQ_INT(check_error_response(&o, cat, all_checks(), l), 0);
    observed_release(&o);
    *n = 0;
    for (i = 0; i < l->n; i++)
        if (l->v[i].id == CHECK_RETRY_AFTER) {
            hit = &l->v[i];
            (*n)++;
        }
    return hit;
}

/* Delay-seconds or an HTTP-date passes; none, or anything else, fails and
 * says what came; an answer that is not a 429 is not judged by it. */
static void test_checks_retry_after_function(void)
{
    static const char *const good[] = {"120",
                                       "0",
                                       " 7 ",
                                       "Wed, 21 Oct 2015 07:28:00 GMT",
                                       "Sunday, 06-Nov-94 08:49:37 GMT",
                                       "Sun Nov  6 08:49:37 1994"};
    static const struct {
        const char *value, *actual;
    } bad[] = {
        {NULL, "no Retry-After header"},
        {"soon\x1b[31m", "\"soon\\x1b[31m\""},
        {"-5", "\"-5\""},
        {"1.5", "\"1.5\""},
        {"", "\"\""},
        {"Wed, 31 Feb 2015 07:28:00 GMT", "\"Wed, 31 Feb 2015 07:28:00 GMT\""},
    };
    static const int other[] = {400, 404, 500, 503, 200};
    const struct check_outcome *c;
    struct check_list l = {NULL, 0};
    unsigned char off[CHECK_COUNT];
    size_t i, n;

    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        c = retry_after_of(429, good[i], &l, &n);
        T_EQ_INT(n, 1);
        T_TRUE(c && c->passed);
        check_list_release(&l);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        c = retry_after_of(429, bad[i].value, &l, &n);
        T_EQ_INT(n, 1);
        T_TRUE(c && !c->passed);
        if (c) {
            T_EQ_STR(c->expected, "a Retry-After header holding delay-seconds or an HTTP-date");
            T_EQ_STR(c->actual, bad[i].actual);
        }
        check_list_release(&l);
    }
    for (i = 0; i < sizeof other / sizeof other[0]; i++) {
        c = retry_after_of(other[i], NULL, &l, &n);
        T_EQ_INT(n, 0);
        check_list_release(&l);
    }
    /* The other checks of that 429 are the usual ones, and all hold but
     * consistency (4030001 is a 403 code). */
    {
        char got[200];
        retry_after_of(429, "1", &l, &n);
        outcome_names(&l, 0, got, sizeof got);
        T_EQ_STR(got, "body,consistency,known,content-type,request-id,retry-after,");
        outcome_names(&l, 1, got, sizeof got);
        T_EQ_STR(got, "consistency,");
        check_list_release(&l);
    }
    /* --skip-check retry-after */
    {
        struct check_header h[] = {{"Content-Type", "application/json"}};
        struct observed o;
        memcpy(off, all_checks(), sizeof off);
        off[CHECK_RETRY_AFTER] = 0;
        check_observe(429, h, 1, "{}", 2, &o);
        T_EQ_INT(check_error_response(&o, cat, off, &l), 0);
        for (i = 0; i < l.n; i++)
            T_TRUE(l.v[i].id != CHECK_RETRY_AFTER);
        check_list_release(&l);
        observed_release(&o);
    }
}

/* A catalog with a 429 code (the shipped one has none) and a suite of
 * one scenario expecting it, under a fresh temporary directory. */
static const char *contract_429(void)
{
    static const char catalog[] =
        "{\"format\": \"apiconform-catalog/1\", \"source\": \"test\", \"entries\": [\n"
        " {\"code\": 4040006, \"message\": \"No such api.\", \"description\": \"\", "
        "\"solution\": \"\"},\n"
        " {\"code\": 4290001, \"message\": \"Too many requests.\", \"description\": \"\", "
        "\"solution\": \"\"}]}\n";
    static const char scenario[] =
        "{\"scenarios\": [{\"id\": \"throttled\", \"code\": 4290001, \"title\": \"a 429\", "
        "\"class\": \"stateless\", \"request\": {\"method\": \"GET\", \"path\": "
        "\"/api/v1/x\"}}]}\n";
    static char dir[512];
    const char *path = t_write_temp("catalog-429.json", catalog, sizeof catalog - 1);
    FILE *f;

    if (!path)
        return NULL;
    snprintf(dir, sizeof dir, "%.*s", (int)(strrchr(path, '/') - path), path);
    mkdir(t_path("%s/suite-429", dir), 0700);
    mkdir(t_path("%s/suite-429/00", dir), 0700);
    f = fopen(t_path("%s/suite-429/00/4290001.json", dir), "wb");
    if (!f)
        return NULL;
    fputs(scenario, f);
    fclose(f);
    return dir;
}

/* The whole run against a raw server that answers 429 with the reply's
 * Retry-After line (or none): the exit status, the failed checks of the
 * one result ("name,"...) and its summary line. */
static int run_429(const char *dir, const char *retry_after_line, const char *extra, char *checks,
                   size_t size, char **summary)
{
    struct ac_buf reply = AC_BUF_INIT;
    static const char body[] = "{\"code\":4290001,\"message\":\"Too many requests.\"}";
    struct raw_script sc;
    struct rawserver *srv;
    char url[64], *out = NULL, *err = NULL;
    char *argv[24], env_tok[] = "CHK_TOKEN=0123456789abcdef0123456789abcdef";
    char *env[] = {env_tok, NULL};
    size_t n = 0, i;
    json_t *root, *f;
    int rc;

    ac_buf_addf(&reply,
                "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n"
                "Request-Id: " UUID "\r\n%sContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
                retry_after_line, sizeof body - 1, body);
    memset(&sc, 0, sizeof sc);
    sc.mode = RAW_REPLY;
    sc.reply = reply.data;
    sc.reply_len = reply.len;
    srv = rawserver_start(&sc);
    T_TRUE(srv != NULL);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", srv ? rawserver_port(srv) : 9);
    argv[n++] = (char *)t_path("%s/apiconform", t_build());
    argv[n++] = (char *)"run";
    argv[n++] = (char *)"--base-url";
    argv[n++] = url;
    argv[n++] = (char *)"--catalog";
    argv[n++] = (char *)t_path("%s/catalog-429.json", dir);
    argv[n++] = (char *)"--suite";
    argv[n++] = (char *)t_path("%s/suite-429", dir);
    argv[n++] = (char *)"--token-env";
    argv[n++] = (char *)"CHK_TOKEN";
    argv[n++] = (char *)"--no-preflight";
    argv[n++] = (char *)"--json";
    argv[n++] = (char *)t_path("%s/results.json", dir);
    argv[n++] = (char *)"--html";
    argv[n++] = (char *)t_path("%s/report.html", dir);
    if (extra) {
        argv[n++] = (char *)"--skip-check";
        argv[n++] = (char *)extra;
    }
    argv[n] = NULL;
    rc = t_run(argv, env, &out, &err);
    rawserver_stop(srv);
    checks[0] = '\0';
    *summary = NULL;
    root = json_load_file(t_path("%s/results.json", dir), 0, NULL);
    f = json_array_get(json_object_get(root, "results"), 0);
    *summary = ac_strdup(json_string_value(json_object_get(f, "summary")));
    json_array_foreach (json_object_get(f, "failures"), i, f) {
        const char *c = json_string_value(json_object_get(f, "check"));
        snprintf(checks + strlen(checks), size - strlen(checks), "%s,", c ? c : "?");
        if (c && !strcmp(c, "retry-after")) {
            T_EQ_STR(json_string_value(json_object_get(f, "expected")),
                     "a Retry-After header holding delay-seconds or an HTTP-date");
            T_EQ_STR(json_string_value(json_object_get(f, "actual")), "no Retry-After header");
        }
    }
    json_decref(root);
    free(out);
    free(err);
    ac_buf_release(&reply);
    return rc;
}

/* Through the engine, the judging and the reports: a 429 the suite
 * expects passes with a Retry-After, fails this check alone without one,
 * and passes again when the check is skipped. */
static void test_checks_retry_after_run(void)
{
    const char *dir = contract_429();
    char checks[200], *summary = NULL, *html;

    T_TRUE(dir != NULL);
    if (!dir)
        return;
    T_EQ_INT(run_429(dir, "Retry-After: 1\r\n", NULL, checks, sizeof checks, &summary), 0);
    T_EQ_STR(checks, "");
    free(summary);
    T_EQ_INT(run_429(dir, "", NULL, checks, sizeof checks, &summary), 1);
    T_EQ_STR(checks, "retry-after,");
    T_EQ_STR(summary, "retry-after: expected a Retry-After header holding delay-seconds or an "
                      "HTTP-date, got no Retry-After header");
    free(summary);
    /* In words: the HTML marks no difference in it. */
    html = t_read_file(t_path("%s/report.html", dir), NULL);
    T_CONTAINS(html, "<td>retry-after</td>");
    T_NOT_CONTAINS(html, "<mark>");
    free(html);
    T_EQ_INT(run_429(dir, "", "retry-after", checks, sizeof checks, &summary), 0);
    T_EQ_STR(checks, "");
    free(summary);
}

/* Recorded traffic: the passive judging sees every header of the answer. */
static void test_checks_retry_after_passive(void)
{
    static const char body[] = "{\"code\": 4040006, \"message\": \"No such api.\"}";
    struct passive_header with[] = {
        {"Content-Type", "application/json"}, {"Request-Id", UUID}, {"retry-after", "30"}};
    struct passive_options po;
    struct observed o;
    struct check_list l = {NULL, 0};
    char got[200];

    passive_options_default(&po);
    /* A 429 carrying a 404 code breaks consistency either way. */
    T_EQ_INT(passive_judge(cat, &po, 429, with, 3, body, strlen(body), &o, &l), 0);
    outcome_names(&l, 1, got, sizeof got);
    T_EQ_STR(got, "consistency,");
    observed_release(&o);
    check_list_release(&l);
    T_EQ_INT(passive_judge(cat, &po, 429, with, 2, body, strlen(body), &o, &l), 0);
    outcome_names(&l, 1, got, sizeof got);
    T_EQ_STR(got, "consistency,retry-after,");
    observed_release(&o);
    check_list_release(&l);
    T_EQ_INT(passive_judge(cat, &po, 404, with, 2, body, strlen(body), &o, &l), 1);
    outcome_names(&l, 0, got, sizeof got);
    T_EQ_STR(got, "message,body,consistency,known,content-type,request-id,");
    observed_release(&o);
    check_list_release(&l);
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("the check table", init, clean);

    if (!s || !CU_add_test(s, "every row is complete and one to one", test_checks_table_rows) ||
        !CU_add_test(s, "the lists of names", test_checks_names_text) ||
        !CU_add_test(s, "a mistyped name gets the near one", test_checks_suggest) ||
        !CU_add_test(s, "help texts and --skip-check name the table's checks",
                     test_checks_help_and_skip_check) ||
        !CU_add_test(s, "outcomes come probe, answer, timing", test_checks_run_order) ||
        !CU_add_test(s, "HTML marks the checks whose values compare",
                     test_checks_html_marks_comparable_values) ||
        !CU_add_test(s, "a raw header block becomes fields", test_checks_header_block) ||
        !CU_add_test(s, "a header list is kept as given", test_checks_header_list) ||
        !CU_add_test(s, "retry-after: a 429's Retry-After, seconds or a date",
                     test_checks_retry_after_function) ||
        !CU_add_test(s, "retry-after: a whole run against a 429", test_checks_retry_after_run) ||
        !CU_add_test(s, "retry-after: recorded traffic", test_checks_retry_after_passive))
        return -1;
    return 0;
}
