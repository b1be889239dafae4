/* reports/baseline.c -- known failures that do not fail a run (see
 * reports.h). */
#include "reports.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/ac_json.h"
#include "report_text.h"

#define BASELINE_MAX_FILE_BYTES (16u * 1024u * 1024u)

/* 1 when s is a real calendar date "YYYY-MM-DD". */
static int valid_date(const char *s)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d, i;

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    y = atoi(s);
    m = atoi(s + 5);
    d = atoi(s + 8);
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return 0;
    return 1;
}

static int entry_error(struct ac_error *err, const char *name, size_t i, const char *field,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int entry_error(struct ac_error *err, const char *name, size_t i, const char *field,
                       const char *fmt, ...)
{
    char where[256];
    va_list ap;

    if (field)
        snprintf(where, sizeof where, "%s: known_failures[%zu].%s", name, i, field);
    else
        snprintf(where, sizeof where, "%s: known_failures[%zu]", name, i);
    va_start(ap, fmt);
    ac_error_setv(err, AC_ERR_INVALID, where, fmt, ap);
    va_end(ap);
    return -1;
}

/* A required non-empty string field. */
static int req_string(const char *name, size_t i, json_t *o, const char *key, char **out,
                      struct ac_error *err)
{
    json_t *v = json_object_get(o, key);

    if (!v)
        return entry_error(err, name, i, key, "missing; expected a non-empty string");
    if (!json_is_string(v) || json_string_length(v) == 0)
        return entry_error(err, name, i, key, "expected a non-empty string, got %s",
                           json_is_string(v) ? "\"\"" : report_json_type_name(v));
    *out = ac_strdup(json_string_value(v));
    if (!*out)
        return ac_error_nomem(err, name);
    return 0;
}

static int parse_entry(const char *name, size_t i, json_t *o, struct report_baseline_entry *e,
                       struct ac_error *err)
{
    const char *key;
    json_t *v, *code, *exp;

    if (!json_is_object(o))
        return entry_error(err, name, i, NULL, "expected an object, got %s",
                           report_json_type_name(o));
    json_object_foreach (o, key, v) {
        if (strcmp(key, "code") && strcmp(key, "scenario") && strcmp(key, "reason") &&
            strcmp(key, "expires"))
            return entry_error(err, name, i, NULL,
                               "unknown key \"%.60s\" (expected code, scenario, reason, "
                               "expires)",
                               key);
    }
    code = json_object_get(o, "code");
    if (!code)
        return entry_error(err, name, i, "code", "missing; expected a 7-digit integer");
    if (!json_is_integer(code) || !catalog_code_valid(json_integer_value(code))) {
        if (json_is_integer(code))
            return entry_error(err, name, i, "code", "expected a 7-digit integer, got %lld",
                               (long long)json_integer_value(code));
        return entry_error(err, name, i, "code", "expected a 7-digit integer, got %s",
                           report_json_type_name(code));
    }
    e->code = (long)json_integer_value(code);
    if (req_string(name, i, o, "scenario", &e->scenario, err) < 0 ||
        req_string(name, i, o, "reason", &e->reason, err) < 0)
        return -1;
    exp = json_object_get(o, "expires");
    if (exp && !json_is_null(exp)) {
        if (!json_is_string(exp))
            return entry_error(err, name, i, "expires", "expected a date YYYY-MM-DD, got %s",
                               report_json_type_name(exp));
        if (!valid_date(json_string_value(exp)))
            return entry_error(err, name, i, "expires", "expected a date YYYY-MM-DD, got \"%.40s\"",
                               json_string_value(exp));
        e->expires = ac_strdup(json_string_value(exp));
        if (!e->expires)
            return ac_error_nomem(err, name);
    }
    return 0;
}

int report_baseline_parse(const char *name, const char *data, size_t len,
                          struct report_baseline *out, struct ac_error *err)
{
    json_t *root, *list, *v;
    const char *key;
    size_t i, j;
    int rc = -1;

    memset(out, 0, sizeof *out);
    root = ac_json_parse(name, data, len, AC_JSON_NOT_VALID, err);
    if (!root)
        return -1;
    if (!json_is_object(root)) {
        ac_error_set(err, AC_ERR_INVALID, name,
                     "expected an object with a \"known_failures\" array, got %s",
                     report_json_type_name(root));
        goto out;
    }
    json_object_foreach (root, key, v) {
        if (strcmp(key, "known_failures") != 0) {
            ac_error_set(err, AC_ERR_INVALID, name,
                         "unknown key \"%.60s\" (expected known_failures)", key);
            goto out;
        }
    }
    list = json_object_get(root, "known_failures");
    if (!json_is_array(list)) {
        ac_error_set(err, AC_ERR_INVALID, name, "expected a \"known_failures\" array, got %s",
                     list ? report_json_type_name(list) : "nothing");
        goto out;
    }
    if (json_array_size(list)) {
        out->entries = calloc(json_array_size(list), sizeof *out->entries);
        if (!out->entries) {
            ac_error_nomem(err, name);
            goto out;
        }
    }
    for (i = 0; i < json_array_size(list); i++) {
        out->nentries = i + 1;
        if (parse_entry(name, i, json_array_get(list, i), &out->entries[i], err) < 0)
            goto out;
        for (j = 0; j < i; j++) {
            if (out->entries[j].code == out->entries[i].code &&
                strcmp(out->entries[j].scenario, out->entries[i].scenario) == 0) {
                entry_error(err, name, i, NULL,
                            "%ld %.80s is already listed at known_failures[%zu]",
                            out->entries[i].code, out->entries[i].scenario, j);
                goto out;
            }
        }
    }
    rc = 0;
out:
    json_decref(root);
    if (rc < 0)
        report_baseline_release(out);
    return rc;
}

int report_baseline_load(const char *path, struct report_baseline *out, struct ac_error *err)
{
    struct ac_buf b = AC_BUF_INIT;
    int rc = -1;

    memset(out, 0, sizeof *out);
    if (ac_file_read(path, BASELINE_MAX_FILE_BYTES, &b, err) == 0)
        rc = report_baseline_parse(path, b.data, b.len, out, err);
    ac_buf_release(&b);
    return rc;
}

void report_baseline_release(struct report_baseline *b)
{
    size_t i;

    if (!b)
        return;
    for (i = 0; i < b->nentries; i++) {
        free(b->entries[i].scenario);
        free(b->entries[i].reason);
        free(b->entries[i].expires);
    }
    free(b->entries);
    memset(b, 0, sizeof *b);
}

int report_baseline_apply(struct report_baseline *b, struct run_results *r, const char *today,
                          struct report_baseline_counts *counts, struct ac_error *err)
{
    struct report_baseline_counts n = {0, 0, 0, 0};
    size_t i, j;
    int failed, passed;

    if (!today || !valid_date(today))
        return ac_error_set(err, AC_ERR_USAGE, NULL,
                            "today's date \"%.20s\" is not a date YYYY-MM-DD",
                            today ? today : "(null)");
    for (j = 0; j < r->nresults; j++) {
        free(r->results[j].known_reason);
        r->results[j].known_reason = NULL;
        r->results[j].known = 0;
        r->results[j].baseline_removable = 0;
    }
    for (i = 0; i < b->nentries; i++) {
        struct report_baseline_entry *e = &b->entries[i];

        /* ISO dates compare as strings; the entry holds on its last day. */
        if (e->expires && strcmp(today, e->expires) > 0) {
            e->state = REPORT_BASELINE_EXPIRED;
            n.expired++;
            continue;
        }
        failed = passed = 0;
        for (j = 0; j < r->nresults; j++) {
            struct result *x = &r->results[j];

            if (x->code != e->code || !x->scenario_id || strcmp(x->scenario_id, e->scenario))
                continue;
            if (x->verdict == VERDICT_FAIL) {
                char *reason = ac_strdup(e->reason);

                if (!reason)
                    return ac_error_nomem(err, NULL);
                free(x->known_reason);
                x->known_reason = reason;
                x->known = 1;
                failed = 1;
            } else if (x->verdict == VERDICT_PASS) {
                x->baseline_removable = 1;
                passed = 1;
            }
        }
        if (failed) {
            e->state = REPORT_BASELINE_APPLIED;
            n.applied++;
        } else if (passed) {
            e->state = REPORT_BASELINE_REMOVABLE;
            n.removable++;
        } else {
            e->state = REPORT_BASELINE_NOT_RUN;
            n.not_run++;
        }
    }
    if (counts)
        *counts = n;
    return 0;
}

int report_baseline_write_text(const struct report_baseline *b, struct ac_buf *out)
{
    size_t i;

    for (i = 0; i < b->nentries; i++) {
        const struct report_baseline_entry *e = &b->entries[i];
        const char *what;

        switch (e->state) {
        case REPORT_BASELINE_REMOVABLE: what = " passes now: remove it from the baseline"; break;
        case REPORT_BASELINE_EXPIRED: what = NULL; break;
        case REPORT_BASELINE_NOT_RUN:
            what = " did not run (absent, error or skipped): the entry was not used";
            break;
        default: continue;
        }
        if (ac_buf_addf(out, "baseline: %ld ", e->code) < 0 ||
            report_text_put(out, e->scenario, REPORT_CTX_CLEAN, 200, REPORT_TEXT_ONELINE) < 0)
            return -1;
        if (what ? ac_buf_adds(out, what) < 0
                 : ac_buf_addf(out, " expired on %s: its failure counts again", e->expires) < 0)
            return -1;
        if (ac_buf_addc(out, '\n') < 0)
            return -1;
    }
    return 0;
}

char *report_date_today(char *out, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;

    if (!gmtime_r(&now, &tm) || strftime(out, size, "%Y-%m-%d", &tm) == 0) {
        if (size)
            out[0] = '\0';
    }
    return out;
}
