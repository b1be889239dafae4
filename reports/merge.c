/* reports/merge.c -- merging shard results and diffing two runs (see
 * reports.h). */
#include "reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_text.h"

/* ---- merge -------------------------------------------------------------- */

/* strdup that keeps NULL as NULL; *ok drops to 0 on no memory. */
static char *dup(const char *s, int *ok)
{
    char *p;

    if (!s)
        return NULL;
    p = ac_strdup(s);
    if (!p)
        *ok = 0;
    return p;
}

/* Deep copy of src into the zeroed dst. 0, or -1 (dst released). */
static int result_copy(struct result *dst, const struct result *src)
{
    int ok = 1;
    size_t i;

    *dst = *src;
    dst->failures = NULL;
    dst->nfailures = 0;
    dst->scenario_id = dup(src->scenario_id, &ok);
    dst->title = dup(src->title, &ok);
    dst->file = dup(src->file, &ok);
    dst->cls = dup(src->cls, &ok);
    dst->summary = dup(src->summary, &ok);
    dst->curl = dup(src->curl, &ok);
    if (src->reproducer)
        dst->reproducer = dup(src->reproducer, &ok);
    dst->transcript = dup(src->transcript, &ok);
    dst->got_message = dup(src->got_message, &ok);
    dst->response_excerpt = dup(src->response_excerpt, &ok);
    dst->known_reason = dup(src->known_reason, &ok);
    if (src->nfailures) {
        dst->failures = calloc(src->nfailures, sizeof *dst->failures);
        if (!dst->failures)
            ok = 0;
        else
            dst->nfailures = src->nfailures;
    }
    for (i = 0; i < dst->nfailures; i++) {
        dst->failures[i].check = dup(src->failures[i].check, &ok);
        dst->failures[i].expected = dup(src->failures[i].expected, &ok);
        dst->failures[i].actual = dup(src->failures[i].actual, &ok);
        dst->failures[i].detail = dup(src->failures[i].detail, &ok);
    }
    if (!ok) {
        result_release(dst);
        return -1;
    }
    return 0;
}

static int same(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

/* Where a result of the merge comes from, for sorting. */
struct origin {
    const struct result *x;
    size_t part, index;
};

static int cmp_origin(const void *pa, const void *pb)
{
    const struct origin *a = pa, *b = pb;
    int sa = report_result_service(a->x), sb = report_result_service(b->x);

    if (sa != sb)
        return sa < sb ? -1 : 1;
    if (a->x->code != b->x->code)
        return a->x->code < b->x->code ? -1 : 1;
    if (a->part != b->part)
        return a->part < b->part ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

static int cmp_origin_key(const void *pa, const void *pb)
{
    const struct origin *a = pa, *b = pb;
    int c;

    if (a->x->code != b->x->code)
        return a->x->code < b->x->code ? -1 : 1;
    c = strcmp(a->x->scenario_id ? a->x->scenario_id : "",
               b->x->scenario_id ? b->x->scenario_id : "");
    if (c)
        return c;
    return (a->part > b->part) - (a->part < b->part);
}

static const char *part_name(const char *const *names, size_t i, char *buf, size_t size)
{
    if (names && names[i])
        return names[i];
    snprintf(buf, size, "part %zu", i + 1);
    return buf;
}

/* Checks that the parts can be merged; 0 or -1 with err set. */
static int check_parts(const struct run_results *p, const char *const *names, size_t n,
                       struct ac_error *err)
{
    char a[32], b[32];
    unsigned char *seen = NULL;
    size_t i;
    int count = p[0].shard_count, rc = -1;

    for (i = 1; i < n; i++) {
        const char *n0 = part_name(names, 0, a, sizeof a), *ni = part_name(names, i, b, sizeof b);

        if (!same(p[i].catalog_sha256, p[0].catalog_sha256))
            return ac_error_set(err, AC_ERR_INVALID, ni,
                                "catalog sha256 %.64s differs from %.64s in %s: the runs used "
                                "different catalogs",
                                p[i].catalog_sha256 ? p[i].catalog_sha256 : "(none)",
                                p[0].catalog_sha256 ? p[0].catalog_sha256 : "(none)", n0);
        if (!same(p[i].suite_sha256, p[0].suite_sha256))
            return ac_error_set(err, AC_ERR_INVALID, ni,
                                "suite sha256 %.64s differs from %.64s in %s: the runs used "
                                "different suites",
                                p[i].suite_sha256 ? p[i].suite_sha256 : "(none)",
                                p[0].suite_sha256 ? p[0].suite_sha256 : "(none)", n0);
        if (!same(p[i].target, p[0].target))
            return ac_error_set(err, AC_ERR_INVALID, ni,
                                "target differs from the one in %s: the runs tested different "
                                "targets",
                                n0);
        if (p[i].shard_count != count)
            return ac_error_set(err, AC_ERR_INVALID, ni, "shard count %d differs from %d in %s",
                                p[i].shard_count, count, n0);
    }
    if (count <= 0)
        return 0;
    seen = calloc((size_t)count + 1, 1);
    if (!seen)
        return ac_error_nomem(err, NULL);
    for (i = 0; i < n; i++) {
        int k = p[i].shard_index;

        if (k < 1 || k > count) {
            ac_error_set(err, AC_ERR_INVALID, part_name(names, i, a, sizeof a),
                         "shard index %d is not in 1..%d", k, count);
            goto out;
        }
        if (seen[k]) {
            ac_error_set(err, AC_ERR_INVALID, part_name(names, i, a, sizeof a),
                         "shard %d/%d is given twice", k, count);
            goto out;
        }
        seen[k] = 1;
    }
    for (i = 1; i <= (size_t)count; i++) {
        if (!seen[i]) {
            ac_error_set(err, AC_ERR_INVALID, NULL,
                         "shard %zu/%d is missing: merge all %d shards of the run", i, count,
                         count);
            goto out;
        }
    }
    rc = 0;
out:
    free(seen);
    return rc;
}

int report_merge(const struct run_results *parts, const char *const *names, size_t nparts,
                 struct run_results *out, struct ac_error *err)
{
    struct origin *o = NULL;
    size_t i, j, k = 0, total = 0, first = 0;
    long long start, end = 0;
    char a[32], b[32];
    int ok = 1, rc = -1;

    memset(out, 0, sizeof *out);
    if (nparts == 0)
        return ac_error_set(err, AC_ERR_USAGE, NULL, "nothing to merge: no results given");
    if (check_parts(parts, names, nparts, err) < 0)
        return -1;
    for (i = 0; i < nparts; i++) {
        total += parts[i].nresults;
        if (parts[i].started_unix_ms < parts[first].started_unix_ms)
            first = i;
    }
    start = parts[first].started_unix_ms;
    o = malloc((total ? total : 1) * sizeof *o);
    if (!o)
        return ac_error_nomem(err, NULL);
    for (i = 0; i < nparts; i++) {
        long long e = parts[i].started_unix_ms + parts[i].duration_ms;

        if (e > end)
            end = e;
        for (j = 0; j < parts[i].nresults; j++)
            o[k++] = (struct origin){&parts[i].results[j], i, j};
    }
    /* A scenario in two parts means the parts overlap (the same shard run
     * twice, or two unrelated runs): refuse rather than pick one. */
    qsort(o, total, sizeof *o, cmp_origin_key);
    for (i = 1; i < total; i++) {
        if (o[i].x->code == o[i - 1].x->code &&
            same(o[i].x->scenario_id, o[i - 1].x->scenario_id)) {
            ac_error_set(err, AC_ERR_INVALID, NULL, "scenario %ld %.80s is in both %s and %s",
                         o[i].x->code, o[i].x->scenario_id ? o[i].x->scenario_id : "",
                         part_name(names, o[i - 1].part, a, sizeof a),
                         part_name(names, o[i].part, b, sizeof b));
            goto out;
        }
    }
    qsort(o, total, sizeof *o, cmp_origin);
    out->run_id = dup(parts[first].run_id, &ok);
    out->target = dup(parts[first].target, &ok);
    out->tool_version = dup(parts[first].tool_version, &ok);
    out->catalog_path = dup(parts[first].catalog_path, &ok);
    out->catalog_sha256 = dup(parts[first].catalog_sha256, &ok);
    out->suite_path = dup(parts[first].suite_path, &ok);
    out->suite_sha256 = dup(parts[first].suite_sha256, &ok);
    out->capabilities = dup(parts[first].capabilities, &ok);
    out->hostname = dup(parts[first].hostname, &ok);
    if (!ok)
        goto nomem;
    out->started_unix_ms = start;
    out->duration_ms = end - start;
    for (i = 0; i < nparts; i++) {
        out->incomplete |= parts[i].incomplete;
        out->fail_on_skip |= parts[i].fail_on_skip;
        out->insecure |= parts[i].insecure;
    }
    if (total) {
        out->results = calloc(total, sizeof *out->results);
        if (!out->results)
            goto nomem;
    }
    for (i = 0; i < total; i++) {
        if (result_copy(&out->results[i], o[i].x) < 0)
            goto nomem;
        out->nresults = i + 1;
        out->results[i].started_ms += parts[o[i].part].started_unix_ms - start;
    }
    rc = 0;
    goto out;
nomem:
    ac_error_nomem(err, NULL);
out:
    free(o);
    if (rc < 0)
        results_release(out);
    return rc;
}

/* ---- diff ---------------------------------------------------------------- */

static int key_cmp(long ca, const char *sa, long cb, const char *sb)
{
    if (ca != cb)
        return ca < cb ? -1 : 1;
    return strcmp(sa ? sa : "", sb ? sb : "");
}

static int cmp_result_ptr(const void *pa, const void *pb)
{
    const struct result *a = *(const struct result *const *)pa;
    const struct result *b = *(const struct result *const *)pb;
    return key_cmp(a->code, a->scenario_id, b->code, b->scenario_id);
}

/* The results of r sorted by (code, scenario id); heap array or NULL. */
static const struct result **sorted(const struct run_results *r)
{
    const struct result **v = malloc((r->nresults ? r->nresults : 1) * sizeof *v);
    size_t i;

    if (!v)
        return NULL;
    for (i = 0; i < r->nresults; i++)
        v[i] = &r->results[i];
    qsort(v, r->nresults, sizeof *v, cmp_result_ptr);
    return v;
}

static int add_entry(struct report_diff *d, enum report_diff_kind kind, const struct result *x,
                     const char *summary, int known)
{
    struct report_diff_entry *e = &d->entries[d->nentries];

    e->kind = kind;
    e->code = x->code;
    e->known = known;
    e->scenario_id = ac_strdup(x->scenario_id ? x->scenario_id : "");
    e->summary = ac_strdup(summary ? summary : "");
    d->nentries++;
    if (!e->scenario_id || !e->summary)
        return -1;
    switch (kind) {
    case REPORT_DIFF_NEW_FAILURE: d->new_failures++; break;
    case REPORT_DIFF_FIXED: d->fixed++; break;
    case REPORT_DIFF_STILL_FAILING: d->still_failing++; break;
    case REPORT_DIFF_NOT_JUDGED: d->not_judged++; break;
    }
    return 0;
}

/* One step of the merge walk: old result a (or NULL), new result b (or
 * NULL), same key. */
static int classify(struct report_diff *d, const struct result *a, const struct result *b)
{
    int was = a && a->verdict == VERDICT_FAIL, is = b && b->verdict == VERDICT_FAIL;

    if (is && !was)
        return add_entry(d, REPORT_DIFF_NEW_FAILURE, b, b->summary, b->known);
    if (is && was)
        return add_entry(d, REPORT_DIFF_STILL_FAILING, b, b->summary, b->known);
    if (was && b && b->verdict == VERDICT_PASS)
        return add_entry(d, REPORT_DIFF_FIXED, a, a->summary, 0);
    if (was)
        return add_entry(d, REPORT_DIFF_NOT_JUDGED, a,
                         b ? (b->summary && *b->summary ? b->summary : verdict_name(b->verdict))
                           : "absent from the new run",
                         0);
    return 0;
}

int report_diff(const struct run_results *old_run, const struct run_results *new_run,
                struct report_diff *out, struct ac_error *err)
{
    const struct result **a = NULL, **b = NULL;
    size_t i = 0, j = 0;
    int rc = -1, c;

    memset(out, 0, sizeof *out);
    a = sorted(old_run);
    b = sorted(new_run);
    out->entries = calloc(old_run->nresults + new_run->nresults + 1, sizeof *out->entries);
    if (!a || !b || !out->entries)
        goto nomem;
    while (i < old_run->nresults || j < new_run->nresults) {
        if (i == old_run->nresults)
            c = 1;
        else if (j == new_run->nresults)
            c = -1;
        else
            c = key_cmp(a[i]->code, a[i]->scenario_id, b[j]->code, b[j]->scenario_id);
        if (c < 0   ? classify(out, a[i++], NULL) < 0
            : c > 0 ? classify(out, NULL, b[j++]) < 0
                    : classify(out, a[i++], b[j++]) < 0)
            goto nomem;
    }
    rc = out->new_failures ? 1 : 0;
    goto out;
nomem:
    ac_error_nomem(err, NULL);
    report_diff_release(out);
out:
    free(a);
    free(b);
    return rc;
}

void report_diff_release(struct report_diff *d)
{
    size_t i;

    if (!d)
        return;
    for (i = 0; i < d->nentries; i++) {
        free(d->entries[i].scenario_id);
        free(d->entries[i].summary);
    }
    free(d->entries);
    memset(d, 0, sizeof *d);
}

int report_diff_write_text(const struct report_diff *d, struct ac_buf *out)
{
    static const char *const label[] = {"new failure  ", "fixed        ", "still failing",
                                        "not judged   "};
    size_t i;

    for (i = 0; i < d->nentries; i++) {
        const struct report_diff_entry *e = &d->entries[i];

        if (ac_buf_addf(out, "%s %ld ", label[e->kind], e->code) < 0 ||
            report_text_put(out, e->scenario_id, REPORT_CTX_CLEAN, 200, REPORT_TEXT_ONELINE) < 0)
            return -1;
        if (e->known && ac_buf_adds(out, " (known)") < 0)
            return -1;
        if (e->summary && *e->summary &&
            (ac_buf_adds(out, ": ") < 0 ||
             report_text_put(out, e->summary, REPORT_CTX_CLEAN, 400, REPORT_TEXT_ONELINE) < 0))
            return -1;
        if (ac_buf_addc(out, '\n') < 0)
            return -1;
    }
    return ac_buf_addf(out, "%zu new failures, %zu fixed, %zu still failing, %zu not judged\n",
                       d->new_failures, d->fixed, d->still_failing, d->not_judged);
}
