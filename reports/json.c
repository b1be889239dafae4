/* reports/json.c -- the JSON results file, apiconform-results/1 (see
 * reports.h; the schema is documented in reports/README.md). */
#include "reports.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/ac_json.h"
#include "report_text.h"

/* Results files are read whole; a run of the shipped suite is a few MiB. */
#define REPORT_JSON_MAX_FILE_BYTES (256u * 1024u * 1024u)

/* ---- writing ------------------------------------------------------------ */

/* A JSON string of s with bad UTF-8 replaced (jansson refuses it), or JSON
 * null for NULL. New reference, NULL when out of memory. */
static json_t *jstr(const char *s)
{
    struct ac_buf b = AC_BUF_INIT;
    json_t *j;

    if (!s)
        return json_null();
    if (ac_utf8_valid(s, strlen(s), NULL))
        return json_string(s);
    if (report_text_put(&b, s, REPORT_CTX_UTF8, 0, 0) < 0) {
        ac_buf_release(&b);
        return NULL;
    }
    j = json_stringn(b.data, b.len);
    ac_buf_release(&b);
    return j;
}

/* Sets key to v (stolen); a NULL v (no memory) is reported as failure. */
static int set(json_t *obj, const char *key, json_t *v)
{
    if (!v)
        return -1;
    return json_object_set_new(obj, key, v) == 0 ? 0 : -1;
}

/* "interrupted" is written for every result of an incomplete run, and not
 * at all for a complete one (where it could only be false). */
static json_t *result_json(const struct result *x, int incomplete)
{
    json_t *o = json_object(), *fails = json_array(), *f;
    size_t i;

    if (!o || !fails)
        goto fail;
    for (i = 0; i < x->nfailures; i++) {
        f = json_object();
        if (!f || json_array_append_new(fails, f) < 0 ||
            set(f, "check", jstr(x->failures[i].check)) < 0 ||
            set(f, "expected", jstr(x->failures[i].expected)) < 0 ||
            set(f, "actual", jstr(x->failures[i].actual)) < 0 ||
            set(f, "detail", jstr(x->failures[i].detail)) < 0)
            goto fail;
    }
    if (set(o, "scenario_id", jstr(x->scenario_id)) < 0 ||
        set(o, "code", json_integer(x->code)) < 0 ||
        set(o, "service", json_integer(x->service)) < 0 || set(o, "title", jstr(x->title)) < 0 ||
        set(o, "file", jstr(x->file)) < 0 || set(o, "class", jstr(x->cls)) < 0 ||
        set(o, "verdict", json_string(verdict_name(x->verdict))) < 0 ||
        (incomplete && set(o, "interrupted", json_boolean(x->interrupted)) < 0) ||
        set(o, "summary", jstr(x->summary)) < 0)
        goto fail;
    if (json_object_set(o, "failures", fails) < 0)
        goto fail;
    if (set(o, "curl", jstr(x->curl)) < 0 ||
        (x->reproducer && set(o, "reproducer", jstr(x->reproducer)) < 0) ||
        set(o, "transcript", jstr(x->transcript)) < 0 ||
        set(o, "got_status", json_integer(x->got_status)) < 0 ||
        set(o, "got_code", json_integer(x->got_code)) < 0 ||
        set(o, "got_message", jstr(x->got_message)) < 0 ||
        set(o, "response_excerpt", jstr(x->response_excerpt)) < 0 ||
        set(o, "started_ms", json_integer(x->started_ms)) < 0 ||
        set(o, "duration_ms", json_integer(x->duration_ms)) < 0 ||
        set(o, "known", json_boolean(x->known)) < 0 ||
        set(o, "known_reason", jstr(x->known_reason)) < 0 ||
        set(o, "baseline_removable", json_boolean(x->baseline_removable)) < 0)
        goto fail;
    json_decref(fails);
    return o;
fail:
    json_decref(fails);
    json_decref(o);
    return NULL;
}

/* The catalog as an apiconform-catalog/1 document that catalog_load_buffer
 * accepts, with every service name used spelled out (so the names survive
 * even when they came from built-in defaults). */
static json_t *catalog_json(const struct catalog *c, const struct run_results *r)
{
    json_t *o = json_object(), *entries = json_array(), *services = json_object(), *e;
    int used[100] = {0};
    char key[8];
    size_t i;

    if (!o || !entries || !services)
        goto fail;
    for (i = 0; i < catalog_count(c); i++) {
        const struct catalog_entry *ce = catalog_at(c, i);

        if (ce->service >= 0 && ce->service <= 99)
            used[ce->service] = 1;
        e = json_object();
        if (!e || json_array_append_new(entries, e) < 0 ||
            set(e, "code", json_integer(ce->code)) < 0 ||
            set(e, "message", jstr(ce->message)) < 0 ||
            set(e, "description", jstr(ce->description)) < 0 ||
            set(e, "solution", jstr(ce->solution)) < 0)
            goto fail;
    }
    for (i = 0; i < r->nresults; i++)
        used[report_result_service(&r->results[i])] = 1;
    for (i = 0; i < 100; i++) {
        if (!used[i])
            continue;
        snprintf(key, sizeof key, "%02zu", i);
        if (set(services, key, jstr(catalog_service_name(c, (int)i))) < 0)
            goto fail;
    }
    /* No "source": the run's catalog_path says where it came from, and
     * leaving it out keeps write-read-write byte-identical. */
    if (set(o, "format", json_string("apiconform-catalog/1")) < 0 ||
        json_object_set(o, "services", services) < 0 || json_object_set(o, "entries", entries) < 0)
        goto fail;
    json_decref(services);
    json_decref(entries);
    return o;
fail:
    json_decref(services);
    json_decref(entries);
    json_decref(o);
    return NULL;
}

static json_t *run_json(const struct run_results *r)
{
    json_t *o = json_object();
    char t[32];

    if (!o)
        return NULL;
    report_fmt_time(t, sizeof t, r->started_unix_ms, 'T');
    strcat(t, "Z");
    if (set(o, "run_id", jstr(r->run_id)) < 0 || set(o, "target", jstr(r->target)) < 0 ||
        set(o, "tool_version", jstr(r->tool_version)) < 0 ||
        set(o, "catalog_path", jstr(r->catalog_path)) < 0 ||
        set(o, "catalog_sha256", jstr(r->catalog_sha256)) < 0 ||
        set(o, "suite_path", jstr(r->suite_path)) < 0 ||
        set(o, "suite_sha256", jstr(r->suite_sha256)) < 0 ||
        set(o, "capabilities", jstr(r->capabilities)) < 0 ||
        set(o, "hostname", jstr(r->hostname)) < 0 ||
        set(o, "started_unix_ms", json_integer(r->started_unix_ms)) < 0 ||
        set(o, "started", json_string(t)) < 0 ||
        set(o, "duration_ms", json_integer(r->duration_ms)) < 0 ||
        set(o, "incomplete", json_boolean(r->incomplete)) < 0 ||
        set(o, "fail_on_skip", json_boolean(r->fail_on_skip)) < 0 ||
        set(o, "tls_verify", json_boolean(!r->insecure)) < 0 ||
        set(o, "shard_index", json_integer(r->shard_index)) < 0 ||
        set(o, "shard_count", json_integer(r->shard_count)) < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *summary_json(const struct run_results *r, const struct catalog *c)
{
    struct results_counts n;
    struct report_headline h;
    json_t *o;

    results_count(r, &n);
    report_headline(r, c, &h);
    o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:i, s:s, s:s, s:I, s:I}", "total",
                  (json_int_t)n.total, "passed", (json_int_t)n.passed, "failed",
                  (json_int_t)n.failed, "known", (json_int_t)n.known, "errors",
                  (json_int_t)n.errors, "skipped", (json_int_t)n.skipped, "exit_status",
                  results_exit_status(r), "verdict", h.name, "headline", h.text, "codes_verified",
                  (json_int_t)h.codes_verified, "codes_total", (json_int_t)h.codes_total);
    /* Errors that are interruptions, in an incomplete run only. */
    if (o && r->incomplete && set(o, "interrupted", json_integer((json_int_t)n.interrupted)) < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Appends v (stolen) dumped as jansson's JSON_INDENT(2) would print it at
 * nesting depth `depth`: every line after the first is indented 2 * depth
 * spaces more. */
static int put_nested(struct ac_buf *out, json_t *v, int depth)
{
    char *text, *p;
    int rc = -1;

    if (!v)
        return -1;
    text = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    json_decref(v);
    if (!text)
        return -1;
    for (p = text; *p; p++) {
        if (ac_buf_addc(out, *p) < 0)
            goto out;
        if (*p == '\n' && ac_buf_addf(out, "%*s", 2 * depth, "") < 0)
            goto out;
    }
    rc = 0;
out:
    free(text);
    return rc;
}

/* The document is written a part at a time, byte for byte what dumping the
 * whole tree would give, so that memory does not grow with a tree of every
 * result (10,000 results made a 45 MB tree). */
int report_json_write(const struct run_results *r, const struct catalog *c, struct ac_buf *out)
{
    size_t i;

    if (ac_buf_addf(out, "{\n  \"schema\": \"%s\",\n  \"run\": ", REPORT_JSON_SCHEMA) < 0 ||
        put_nested(out, run_json(r), 1) < 0 || ac_buf_adds(out, ",\n  \"summary\": ") < 0 ||
        put_nested(out, summary_json(r, c), 1) < 0 || ac_buf_adds(out, ",\n  \"results\": [") < 0)
        return -1;
    for (i = 0; i < r->nresults; i++) {
        if (ac_buf_adds(out, i ? ",\n    " : "\n    ") < 0 ||
            put_nested(out, result_json(&r->results[i], r->incomplete), 2) < 0)
            return -1;
    }
    if (ac_buf_adds(out, r->nresults ? "\n  ],\n  \"catalog\": " : "],\n  \"catalog\": ") < 0 ||
        put_nested(out, c ? catalog_json(c, r) : json_null(), 1) < 0 ||
        ac_buf_adds(out, "\n}\n") < 0)
        return -1;
    return 0;
}

int report_json_write_file(const struct run_results *r, const struct catalog *c, const char *path,
                           struct ac_error *err)
{
    struct ac_buf b = AC_BUF_INIT;
    int rc;

    if (report_json_write(r, c, &b) < 0) {
        ac_buf_release(&b);
        return ac_error_nomem(err, path);
    }
    rc = ac_file_write_atomic(path, b.data, b.len, err);
    ac_buf_release(&b);
    return rc;
}

/* ---- reading ------------------------------------------------------------ */

struct rd {
    const char *name;
    struct ac_error *err;
};

/* Sets err for field ctx+key: "results.json: results[3].verdict". */
static int bad(struct rd *d, const char *ctx, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int bad(struct rd *d, const char *ctx, const char *key, const char *fmt, ...)
{
    char where[256];
    va_list ap;

    snprintf(where, sizeof where, "%s: %s%s", d->name, ctx, key);
    va_start(ap, fmt);
    ac_error_setv(d->err, AC_ERR_INVALID, where, fmt, ap);
    va_end(ap);
    return -1;
}

static int nomem(struct rd *d)
{
    return ac_error_nomem(d->err, d->name);
}

/* A string or null member; absent is NULL unless required. */
static int get_str(struct rd *d, json_t *obj, const char *ctx, const char *key, int required,
                   char **out)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (!v) {
        if (required)
            return bad(d, ctx, key, "missing; expected a string");
        return 0;
    }
    if (json_is_null(v) && !required)
        return 0;
    if (!json_is_string(v))
        return bad(d, ctx, key, "expected a string%s, got %s", required ? "" : " or null",
                   report_json_type_name(v));
    *out = ac_strdup(json_string_value(v));
    return *out ? 0 : nomem(d);
}

static int get_int(struct rd *d, json_t *obj, const char *ctx, const char *key, int required,
                   long long lo, long long hi, long long dflt, long long *out)
{
    json_t *v = json_object_get(obj, key);

    *out = dflt;
    if (!v) {
        if (required)
            return bad(d, ctx, key, "missing; expected an integer");
        return 0;
    }
    if (!json_is_integer(v))
        return bad(d, ctx, key, "expected an integer, got %s", report_json_type_name(v));
    if (json_integer_value(v) < lo || json_integer_value(v) > hi)
        return bad(d, ctx, key, "expected an integer from %lld to %lld, got %lld", lo, hi,
                   (long long)json_integer_value(v));
    *out = json_integer_value(v);
    return 0;
}

static int get_bool(struct rd *d, json_t *obj, const char *ctx, const char *key, int *out)
{
    json_t *v = json_object_get(obj, key);

    *out = 0;
    if (!v)
        return 0;
    if (!json_is_boolean(v))
        return bad(d, ctx, key, "expected true or false, got %s", report_json_type_name(v));
    *out = json_is_true(v);
    return 0;
}

static int read_failures(struct rd *d, json_t *arr, const char *ctx, struct result *x)
{
    char sub[128];
    size_t i;

    if (!arr || json_is_null(arr))
        return 0;
    if (!json_is_array(arr))
        return bad(d, ctx, "failures", "expected an array, got %s", report_json_type_name(arr));
    if (json_array_size(arr) == 0)
        return 0;
    x->failures = calloc(json_array_size(arr), sizeof *x->failures);
    if (!x->failures)
        return nomem(d);
    for (i = 0; i < json_array_size(arr); i++) {
        json_t *f = json_array_get(arr, i);
        struct check_failure *cf = &x->failures[i];

        x->nfailures = i + 1;
        snprintf(sub, sizeof sub, "%sfailures[%zu]", ctx, i);
        if (!json_is_object(f))
            return bad(d, sub, "", "expected an object, got %s", report_json_type_name(f));
        strcat(sub, ".");
        if (get_str(d, f, sub, "check", 1, &cf->check) < 0 ||
            get_str(d, f, sub, "expected", 0, &cf->expected) < 0 ||
            get_str(d, f, sub, "actual", 0, &cf->actual) < 0 ||
            get_str(d, f, sub, "detail", 0, &cf->detail) < 0)
            return -1;
    }
    return 0;
}

static int parse_verdict(const char *s, enum verdict *v)
{
    static const enum verdict all[] = {VERDICT_PASS, VERDICT_FAIL, VERDICT_ERROR, VERDICT_SKIP};
    size_t i;

    for (i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(s, verdict_name(all[i])) == 0) {
            *v = all[i];
            return 0;
        }
    }
    return -1;
}

static int read_result(struct rd *d, json_t *o, size_t idx, struct result *x)
{
    char ctx[64];
    char *verdict = NULL;
    long long n;
    int rc = -1;

    snprintf(ctx, sizeof ctx, "results[%zu]", idx);
    if (!json_is_object(o))
        return bad(d, ctx, "", "expected an object, got %s", report_json_type_name(o));
    strcat(ctx, ".");
    if (get_str(d, o, ctx, "scenario_id", 1, &x->scenario_id) < 0 ||
        get_int(d, o, ctx, "code", 1, 0, CATALOG_CODE_MAX, 0, &n) < 0)
        goto out;
    x->code = (long)n;
    if (get_int(d, o, ctx, "service", 0, 0, 99, catalog_code_service(x->code), &n) < 0)
        goto out;
    x->service = (int)n;
    if (get_str(d, o, ctx, "title", 0, &x->title) < 0 ||
        get_str(d, o, ctx, "file", 0, &x->file) < 0 ||
        get_str(d, o, ctx, "class", 0, &x->cls) < 0 ||
        get_str(d, o, ctx, "verdict", 1, &verdict) < 0)
        goto out;
    if (parse_verdict(verdict, &x->verdict) < 0) {
        bad(d, ctx, "verdict", "expected one of passed, failed, error, skipped, got \"%.40s\"",
            verdict);
        goto out;
    }
    if (get_str(d, o, ctx, "summary", 0, &x->summary) < 0 ||
        read_failures(d, json_object_get(o, "failures"), ctx, x) < 0 ||
        get_str(d, o, ctx, "curl", 0, &x->curl) < 0 ||
        get_str(d, o, ctx, "reproducer", 0, &x->reproducer) < 0 ||
        get_str(d, o, ctx, "transcript", 0, &x->transcript) < 0 ||
        get_int(d, o, ctx, "got_status", 0, 0, 999, 0, &n) < 0)
        goto out;
    x->got_status = (int)n;
    if (get_int(d, o, ctx, "got_code", 0, -1, 0x7FFFFFFF, -1, &n) < 0)
        goto out;
    x->got_code = (long)n;
    if (get_str(d, o, ctx, "got_message", 0, &x->got_message) < 0 ||
        get_str(d, o, ctx, "response_excerpt", 0, &x->response_excerpt) < 0 ||
        get_int(d, o, ctx, "started_ms", 0, 0, 1LL << 53, 0, &x->started_ms) < 0 ||
        get_int(d, o, ctx, "duration_ms", 0, 0, 1LL << 53, 0, &x->duration_ms) < 0 ||
        get_bool(d, o, ctx, "known", &x->known) < 0 ||
        get_str(d, o, ctx, "known_reason", 0, &x->known_reason) < 0 ||
        get_bool(d, o, ctx, "baseline_removable", &x->baseline_removable) < 0 ||
        get_bool(d, o, ctx, "interrupted", &x->interrupted) < 0)
        goto out;
    x->interrupted &= x->verdict == VERDICT_ERROR;
    rc = 0;
out:
    free(verdict);
    return rc;
}

static int read_run(struct rd *d, json_t *o, struct run_results *r)
{
    const char *ctx = "run.";
    long long n;

    if (!o)
        return bad(d, "", "run", "missing; expected an object");
    if (!json_is_object(o))
        return bad(d, "", "run", "expected an object, got %s", report_json_type_name(o));
    if (get_str(d, o, ctx, "run_id", 0, &r->run_id) < 0 ||
        get_str(d, o, ctx, "target", 0, &r->target) < 0 ||
        get_str(d, o, ctx, "tool_version", 0, &r->tool_version) < 0 ||
        get_str(d, o, ctx, "catalog_path", 0, &r->catalog_path) < 0 ||
        get_str(d, o, ctx, "catalog_sha256", 0, &r->catalog_sha256) < 0 ||
        get_str(d, o, ctx, "suite_path", 0, &r->suite_path) < 0 ||
        get_str(d, o, ctx, "suite_sha256", 0, &r->suite_sha256) < 0 ||
        get_str(d, o, ctx, "capabilities", 0, &r->capabilities) < 0 ||
        get_str(d, o, ctx, "hostname", 0, &r->hostname) < 0 ||
        get_int(d, o, ctx, "started_unix_ms", 0, 0, 1LL << 53, 0, &r->started_unix_ms) < 0 ||
        get_int(d, o, ctx, "duration_ms", 0, 0, 1LL << 53, 0, &r->duration_ms) < 0 ||
        get_bool(d, o, ctx, "incomplete", &r->incomplete) < 0 ||
        get_bool(d, o, ctx, "fail_on_skip", &r->fail_on_skip) < 0 ||
        get_int(d, o, ctx, "shard_count", 0, 0, 100000, 0, &n) < 0)
        return -1;
    /* Absent (files older than the member): verified, the default. */
    if (json_object_get(o, "tls_verify")) {
        int verify;
        if (get_bool(d, o, ctx, "tls_verify", &verify) < 0)
            return -1;
        r->insecure = !verify;
    }
    r->shard_count = (int)n;
    if (get_int(d, o, ctx, "shard_index", 0, r->shard_count ? 1 : 0, r->shard_count, 0, &n) < 0)
        return -1;
    r->shard_index = (int)n;
    return 0;
}

static struct catalog *read_catalog(struct rd *d, json_t *cat)
{
    struct catalog *c;
    char name[300];
    char *text;

    if (!json_is_object(cat)) {
        bad(d, "", "catalog", "expected an object or null, got %s", report_json_type_name(cat));
        return NULL;
    }
    text = json_dumps(cat, JSON_COMPACT);
    if (!text) {
        nomem(d);
        return NULL;
    }
    snprintf(name, sizeof name, "%s: catalog", d->name);
    c = catalog_load_buffer(name, text, strlen(text), d->err);
    free(text);
    return c;
}

int report_json_read_buffer(const char *name, const char *data, size_t len, struct run_results *out,
                            struct catalog **catalog_out, struct ac_error *err)
{
    struct rd d = {name, err};
    json_t *root, *schema, *results, *cat;
    struct catalog *c = NULL;
    size_t i;
    int rc = -1;

    memset(out, 0, sizeof *out);
    if (catalog_out)
        *catalog_out = NULL;
    root = ac_json_parse(name, data, len, AC_JSON_NOT_VALID, err);
    if (!root)
        return -1;
    if (!json_is_object(root)) {
        ac_error_set(err, AC_ERR_INVALID, name, "expected a JSON object, got %s",
                     report_json_type_name(root));
        goto out;
    }
    schema = json_object_get(root, "schema");
    if (!json_is_string(schema) || strcmp(json_string_value(schema), REPORT_JSON_SCHEMA) != 0) {
        if (json_is_string(schema))
            bad(&d, "", "schema", "unsupported schema \"%.60s\"; expected \"%s\"",
                json_string_value(schema), REPORT_JSON_SCHEMA);
        else
            bad(&d, "", "schema", "missing; expected \"%s\"", REPORT_JSON_SCHEMA);
        goto out;
    }
    if (read_run(&d, json_object_get(root, "run"), out) < 0)
        goto out;
    results = json_object_get(root, "results");
    if (!json_is_array(results)) {
        bad(&d, "", "results", "expected an array, got %s",
            results ? report_json_type_name(results) : "nothing");
        goto out;
    }
    if (json_array_size(results)) {
        out->results = calloc(json_array_size(results), sizeof *out->results);
        if (!out->results) {
            nomem(&d);
            goto out;
        }
    }
    for (i = 0; i < json_array_size(results); i++) {
        out->nresults = i + 1;
        if (read_result(&d, json_array_get(results, i), i, &out->results[i]) < 0)
            goto out;
    }
    cat = json_object_get(root, "catalog");
    if (catalog_out && cat && !json_is_null(cat)) {
        c = read_catalog(&d, cat);
        if (!c)
            goto out;
    }
    rc = 0;
out:
    json_decref(root);
    if (rc < 0) {
        results_release(out);
        catalog_free(c);
        c = NULL;
    }
    if (catalog_out)
        *catalog_out = c;
    return rc;
}

int report_json_read(const char *path, struct run_results *out, struct catalog **catalog_out,
                     struct ac_error *err)
{
    struct ac_buf b = AC_BUF_INIT;
    int rc = -1;

    memset(out, 0, sizeof *out);
    if (catalog_out)
        *catalog_out = NULL;
    if (ac_file_read(path, REPORT_JSON_MAX_FILE_BYTES, &b, err) == 0)
        rc = report_json_read_buffer(path, b.data, b.len, out, catalog_out, err);
    ac_buf_release(&b);
    return rc;
}
