/* reports/report_text.c -- see report_text.h. */
#include "report_text.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/ac_json.h"
#include "reports.h"

static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* Characters no markup report carries. XML 1.0 forbids C0 controls but tab,
 * LF and CR, and U+FFFE/U+FFFF, even as references (reliability.md 3.1);
 * DEL, C1 controls and the other noncharacters are allowed by XML but are
 * parse errors in HTML and garble terminals, so they go too. U+10000 and
 * above stay (pytest once wrongly escaped them: test the boundary). */
static int forbidden(unsigned cp)
{
    if (cp < 0x20)
        return cp != '\t' && cp != '\n' && cp != '\r';
    if (cp >= 0x7F && cp <= 0x9F)
        return 1;
    if (cp >= 0xFDD0 && cp <= 0xFDEF)
        return 1;
    return (cp & 0xFFFE) == 0xFFFE;
}

/* Appends the escaped form of one clean code point cp (its UTF-8 bytes are
 * u[0..k)). */
static int put_char(struct ac_buf *out, unsigned cp, const unsigned char *u, size_t k,
                    enum report_ctx ctx, unsigned flags)
{
    if ((flags & REPORT_TEXT_ONELINE) && (cp == '\t' || cp == '\n' || cp == '\r'))
        return ac_buf_addc(out, ' ');
    if ((flags & REPORT_TEXT_PIPE) && cp == '|')
        return ac_buf_adds(out, "\\|");
    switch (ctx) {
    case REPORT_CTX_UTF8:
    case REPORT_CTX_CLEAN: break;
    case REPORT_CTX_XML_ATTR:
        /* Attribute-value normalisation would turn these into spaces. */
        if (cp == '\t')
            return ac_buf_adds(out, "&#9;");
        if (cp == '\n')
            return ac_buf_adds(out, "&#10;");
        /* fall through */
    case REPORT_CTX_XML_TEXT:
        /* A literal CR would be read back as LF. */
        if (cp == '\r')
            return ac_buf_adds(out, "&#13;");
        /* fall through */
    case REPORT_CTX_HTML:
        switch (cp) {
        case '&': return ac_buf_adds(out, "&amp;");
        case '<': return ac_buf_adds(out, "&lt;");
        case '>': return ac_buf_adds(out, "&gt;");
        case '"': return ac_buf_adds(out, "&quot;");
        case '\'': return ac_buf_adds(out, "&#39;");
        }
        break;
    case REPORT_CTX_MD_TEXT:
        if (cp == '\t' || cp == '\n' || cp == '\r')
            return ac_buf_addc(out, ' ');
        if (cp == '&')
            return ac_buf_adds(out, "&amp;");
        if (cp == '<')
            return ac_buf_adds(out, "&lt;");
        if (cp == '>')
            return ac_buf_adds(out, "&gt;");
        if (cp < 0x80 && strchr("\\`*_{}[]()#+!|~", (int)cp))
            if (ac_buf_addc(out, '\\') < 0)
                return -1;
        break;
    }
    return ac_buf_add(out, u, k);
}

int report_text_putn(struct ac_buf *out, const char *s, size_t n, enum report_ctx ctx, size_t cap,
                     unsigned flags)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, k, limit = n;
    unsigned cp;

    if (!s)
        return 0;
    if (cap && n > cap)
        limit = cap;
    while (i < limit) {
        k = ac_utf8_decode(u + i, n - i, &cp);
        if (k == 0) {
            /* One U+FFFD per bad byte: simple, and it never swallows a
             * valid character that follows a broken one. */
            if (ac_buf_adds(out, REPLACEMENT) < 0)
                return -1;
            i++;
            continue;
        }
        if (i + k > limit)
            break; /* the cap falls inside this character */
        if (cp == 0 || (ctx != REPORT_CTX_UTF8 && forbidden(cp))) {
            if (ac_buf_adds(out, REPLACEMENT) < 0)
                return -1;
        } else if (put_char(out, cp, u + i, k, ctx, flags) < 0) {
            return -1;
        }
        i += k;
    }
    if (i < n)
        return ac_buf_addf(out, "%s[truncated: %zu of %zu bytes shown]",
                           (flags & REPORT_TEXT_ONELINE) ? " " : "\n", i, n);
    return 0;
}

int report_text_put(struct ac_buf *out, const char *s, enum report_ctx ctx, size_t cap,
                    unsigned flags)
{
    if (!s)
        return 0;
    return report_text_putn(out, s, strlen(s), ctx, cap, flags);
}

int report_text_md_code(struct ac_buf *out, const char *s, size_t cap, unsigned flags)
{
    struct ac_buf clean = AC_BUF_INIT;
    size_t i, run = 0, longest = 0, fence;
    int rc = -1, pad;

    if (!s || !*s)
        return ac_buf_adds(out, "`\"\"`");
    if (report_text_put(&clean, s, REPORT_CTX_CLEAN, cap, flags | REPORT_TEXT_ONELINE) < 0)
        goto out;
    for (i = 0; i < clean.len; i++) {
        run = clean.data[i] == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    fence = longest + 1;
    /* A span that starts or ends with a backtick needs a space of padding,
     * and CommonMark strips one space from each side when both are there. */
    pad = clean.data[0] == '`' || clean.data[clean.len - 1] == '`' || clean.data[0] == ' ' ||
          clean.data[clean.len - 1] == ' ';
    for (i = 0; i < fence; i++)
        if (ac_buf_addc(out, '`') < 0)
            goto out;
    if ((pad && ac_buf_addc(out, ' ') < 0) || ac_buf_add(out, clean.data, clean.len) < 0 ||
        (pad && ac_buf_addc(out, ' ') < 0))
        goto out;
    for (i = 0; i < fence; i++)
        if (ac_buf_addc(out, '`') < 0)
            goto out;
    rc = 0;
out:
    ac_buf_release(&clean);
    return rc;
}

char *report_fmt_seconds(char *buf, size_t size, long long ms)
{
    if (ms < 0)
        ms = 0;
    snprintf(buf, size, "%lld.%03lld", ms / 1000, ms % 1000);
    return buf;
}

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm), so
 * that no time zone or locale setting can touch the result. */
static void civil_from_days(long long z, int *y, int *m, int *d)
{
    long long era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

char *report_fmt_time(char *buf, size_t size, long long unix_ms, char sep)
{
    long long secs, days, rem;
    int y, m, d;

    if (unix_ms < 0)
        unix_ms = 0;
    secs = unix_ms / 1000;
    days = secs / 86400;
    rem = secs % 86400;
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, size, "%04d-%02d-%02d%c%02lld:%02lld:%02lld", y, m, d, sep ? sep : 'T',
             rem / 3600, rem / 60 % 60, rem % 60);
    return buf;
}

char *report_suite_name(char *buf, size_t size, const struct catalog *c, int service)
{
    snprintf(buf, size, "%02d %s", service, catalog_service_name(c, service));
    return buf;
}

const char *report_code_state_name(enum report_code_state s)
{
    switch (s) {
    case REPORT_CODE_NOT_COVERED: return "not covered";
    case REPORT_CODE_SKIPPED: return "skipped";
    case REPORT_CODE_PASSED: return "passed";
    case REPORT_CODE_ERROR: return "error";
    case REPORT_CODE_KNOWN: return "known failure";
    case REPORT_CODE_FAILED: return "failed";
    }
    return "unknown";
}

int report_result_service(const struct result *x)
{
    return x->service >= 0 && x->service <= 99 ? x->service : 99;
}

enum report_code_state report_result_state(const struct result *x)
{
    switch (x->verdict) {
    case VERDICT_PASS: return REPORT_CODE_PASSED;
    case VERDICT_FAIL: return x->known ? REPORT_CODE_KNOWN : REPORT_CODE_FAILED;
    case VERDICT_ERROR: return REPORT_CODE_ERROR;
    case VERDICT_SKIP: return REPORT_CODE_SKIPPED;
    }
    return REPORT_CODE_ERROR;
}

enum report_code_state report_code_state(const struct run_results *r, long code)
{
    enum report_code_state s = REPORT_CODE_NOT_COVERED, t;
    size_t i;

    for (i = 0; i < r->nresults; i++) {
        if (r->results[i].code != code)
            continue;
        t = report_result_state(&r->results[i]);
        if (t > s)
            s = t;
    }
    return s;
}

static int service_of(long code)
{
    int s = catalog_code_service(code);
    return s < 0 ? 99 : s;
}

/* The slot for service s in a 100-entry table. */
static struct report_service *slot(struct report_service *tab, int *used, int s)
{
    if (s < 0 || s > 99)
        s = 99;
    if (!used[s]) {
        used[s] = 1;
        memset(&tab[s], 0, sizeof tab[s]);
        tab[s].service = s;
    }
    return &tab[s];
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

int report_extra_codes(const struct run_results *r, const struct catalog *c, long **out, size_t *n)
{
    long *codes;
    size_t i, k = 0, j;

    *out = NULL;
    *n = 0;
    codes = malloc((r->nresults ? r->nresults : 1) * sizeof *codes);
    if (!codes)
        return -1;
    for (i = 0; i < r->nresults; i++)
        if (!c || !catalog_find(c, r->results[i].code))
            codes[k++] = r->results[i].code;
    qsort(codes, k, sizeof *codes, cmp_long);
    for (i = 0, j = 0; i < k; i++)
        if (j == 0 || codes[j - 1] != codes[i])
            codes[j++] = codes[i];
    *out = codes;
    *n = j;
    return 0;
}

int report_services(const struct run_results *r, const struct catalog *c, int with_catalog,
                    struct report_service **out, size_t *n)
{
    struct report_service tab[100], *s, *res;
    int used[100] = {0};
    long *extra = NULL;
    size_t i, nextra = 0, k = 0;
    enum report_code_state st;

    *out = NULL;
    *n = 0;
    for (i = 0; i < r->nresults; i++) {
        const struct result *x = &r->results[i];

        s = slot(tab, used, report_result_service(x));
        if (s->tests == 0 || x->started_ms < s->first_start_ms)
            s->first_start_ms = x->started_ms;
        if (s->tests == 0 ||
            x->started_ms + (x->duration_ms > 0 ? x->duration_ms : 0) > s->last_end_ms)
            s->last_end_ms = x->started_ms + (x->duration_ms > 0 ? x->duration_ms : 0);
        s->tests++;
        s->time_ms += x->duration_ms > 0 ? x->duration_ms : 0;
        switch (x->verdict) {
        case VERDICT_PASS: s->passed++; break;
        case VERDICT_FAIL:
            s->failed++;
            if (x->known)
                s->known++;
            break;
        case VERDICT_ERROR: s->errors++; break;
        case VERDICT_SKIP: s->skipped++; break;
        }
    }
    if (with_catalog && c) {
        for (i = 0; i < catalog_count(c); i++) {
            const struct catalog_entry *e = catalog_at(c, i);

            st = report_code_state(r, e->code);
            s = slot(tab, used, e->service);
            s->codes[st]++;
            s->ncodes++;
        }
    }
    if (with_catalog) {
        if (report_extra_codes(r, c, &extra, &nextra) < 0)
            return -1;
        for (i = 0; i < nextra; i++) {
            st = report_code_state(r, extra[i]);
            s = slot(tab, used, service_of(extra[i]));
            s->codes[st]++;
            s->ncodes++;
        }
        free(extra);
    }
    for (i = 0; i < 100; i++)
        k += (size_t)used[i];
    res = malloc((k ? k : 1) * sizeof *res);
    if (!res)
        return -1;
    k = 0;
    for (i = 0; i < 100; i++)
        if (used[i])
            res[k++] = tab[i];
    *out = res;
    *n = k;
    return 0;
}

const char *report_json_type_name(const void *v)
{
    return ac_json_type_name((const json_t *)v);
}

void report_headline(const struct run_results *r, const struct catalog *c,
                     struct report_headline *h)
{
    struct results_counts n;
    size_t i, used = 0;
    int status = results_exit_status(r);

    memset(h, 0, sizeof *h);
    results_count(r, &n);
    h->total = n.total;
    h->skipped = n.skipped;
    h->ran = n.total - n.skipped;
    if (c) {
        h->codes_total = catalog_count(c);
        for (i = 0; i < catalog_count(c); i++)
            h->codes_verified += report_code_state(r, catalog_at(c, i)->code) == REPORT_CODE_PASSED;
    } else {
        long *codes = NULL;
        size_t nc = 0;
        if (report_extra_codes(r, NULL, &codes, &nc) == 0) {
            h->codes_total = nc;
            for (i = 0; i < nc; i++)
                h->codes_verified += report_code_state(r, codes[i]) == REPORT_CODE_PASSED;
        }
        free(codes);
    }
    if (status == AC_EXIT_FAIL) {
        h->state = REPORT_HEADLINE_FAILED;
        used =
            (size_t)snprintf(h->text, sizeof h->text, "Failed: %zu scenario%s broke the contract; ",
                             n.failed - n.known, n.failed - n.known == 1 ? "" : "s");
    } else if (status != AC_EXIT_OK) {
        h->state = REPORT_HEADLINE_ERROR;
        if ((n.errors || !r->fail_on_skip) && n.interrupted)
            used = (size_t)snprintf(
                h->text, sizeof h->text, "Not judged: %zu error%s (%zu interrupted)%s; ", n.errors,
                n.errors == 1 ? "" : "s", n.interrupted, r->incomplete ? ", run interrupted" : "");
        else if (n.errors || !r->fail_on_skip)
            used = (size_t)snprintf(h->text, sizeof h->text, "Not judged: %zu error%s%s; ",
                                    n.errors, n.errors == 1 ? "" : "s",
                                    r->incomplete ? ", run interrupted" : "");
        else
            used = (size_t)snprintf(h->text, sizeof h->text,
                                    "Not judged: %zu skipped under --fail-on-skip; ", n.skipped);
    } else if (h->ran == 0) {
        h->state = REPORT_HEADLINE_NONE;
        used = (size_t)snprintf(h->text, sizeof h->text, "Nothing judged: ");
    } else if (n.skipped || h->codes_verified < h->codes_total) {
        h->state = REPORT_HEADLINE_PARTIAL;
        used = (size_t)snprintf(h->text, sizeof h->text, "Partial pass: ");
    } else {
        h->state = REPORT_HEADLINE_PASSED;
        used = (size_t)snprintf(h->text, sizeof h->text, "Passed: ");
    }
    if (used < sizeof h->text)
        used +=
            (size_t)snprintf(h->text + used, sizeof h->text - used,
                             "%zu of %zu scenario%s ran, %zu of %zu codes verified", h->ran,
                             h->total, h->total == 1 ? "" : "s", h->codes_verified, h->codes_total);
    if (used < sizeof h->text && (n.skipped || n.known)) {
        char more[96];
        if (n.skipped && n.known)
            snprintf(more, sizeof more, " (%zu skipped, %zu known failure%s)", n.skipped, n.known,
                     n.known == 1 ? "" : "s");
        else if (n.skipped)
            snprintf(more, sizeof more, " (%zu skipped)", n.skipped);
        else
            snprintf(more, sizeof more, " (%zu known failure%s)", n.known, n.known == 1 ? "" : "s");
        snprintf(h->text + used, sizeof h->text - used, "%s", more);
    }
    {
        static const char *const words[] = {"Passed", "Partial pass", "Failed", "Not judged",
                                            "Nothing judged"};
        static const char *const names[] = {"passed", "partial", "failed", "error", "none"};
        h->word = words[h->state];
        h->name = names[h->state];
    }
}
