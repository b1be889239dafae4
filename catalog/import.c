/* catalog/import.c -- Markdown table -> catalog JSON.
 *
 * The contract is published as a Markdown table in an API document; teams
 * keep that page as the source of truth and re-import it. We read the first
 * GitHub-style table whose header names a code and a message column. A cell
 * is the text between two unescaped '|' minus the padding (spaces and tabs)
 * on both sides; "\|" stands for a literal '|'. Nothing else is altered:
 * the message bytes are the contract. */
#include "catalog.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CELLS 32

struct line {
    const char *p; /* start, not NUL-terminated */
    size_t n;      /* length without the line break */
};

struct cells {
    char *v[MAX_CELLS]; /* heap strings */
    size_t n;
};

static void cells_release(struct cells *c)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        free(c->v[i]);
    c->n = 0;
}

static int is_pad(char ch)
{
    return ch == ' ' || ch == '\t';
}

/* Splits a table row into cells; 1 when the line is a table row (holds an
 * unescaped '|'), 0 when not, -1 on no memory or too many cells. */
static int split_row(struct line l, struct cells *out)
{
    const char *p = l.p, *end = l.p + l.n;
    struct ac_buf cell = AC_BUF_INIT;
    int saw_pipe = 0, rc = -1;

    out->n = 0;
    while (p < end && is_pad(*p))
        p++;
    while (end > p && (is_pad(end[-1]) || end[-1] == '\r'))
        end--;
    if (p < end && *p == '|') {
        p++;
        saw_pipe = 1;
    }
    if (end > p && end[-1] == '|' && !(end - p >= 2 && end[-2] == '\\')) {
        end--;
        saw_pipe = 1;
    }
    for (;;) {
        if (p >= end || *p == '|') {
            const char *s = cell.data ? cell.data : "";
            size_t a = 0, b = cell.len;
            while (a < b && is_pad(s[a]))
                a++;
            while (b > a && is_pad(s[b - 1]))
                b--;
            if (out->n == MAX_CELLS)
                goto out;
            out->v[out->n] = malloc(b - a + 1);
            if (!out->v[out->n])
                goto out;
            memcpy(out->v[out->n], s + a, b - a);
            out->v[out->n][b - a] = '\0';
            out->n++;
            ac_buf_reset(&cell);
            if (p >= end)
                break;
            saw_pipe = 1;
            p++;
            continue;
        }
        if (*p == '\\' && p + 1 < end && p[1] == '|') {
            if (ac_buf_addc(&cell, '|') < 0)
                goto out;
            p += 2;
            continue;
        }
        if (ac_buf_addc(&cell, *p) < 0)
            goto out;
        p++;
    }
    rc = saw_pipe;
out:
    ac_buf_release(&cell);
    if (rc < 0)
        cells_release(out);
    return rc;
}

/* A delimiter row: every cell is dashes with optional colons at the ends. */
static int is_delimiter(const struct cells *c)
{
    size_t i, j;

    if (c->n == 0)
        return 0;
    for (i = 0; i < c->n; i++) {
        const char *s = c->v[i];
        size_t n = strlen(s), dashes = 0;
        if (n == 0)
            return 0;
        for (j = 0; j < n; j++) {
            if (s[j] == '-')
                dashes++;
            else if (!(s[j] == ':' && (j == 0 || j == n - 1)))
                return 0;
        }
        if (dashes == 0)
            return 0;
    }
    return 1;
}

static int header_is(const char *cell, const char *en, const char *zh)
{
    char low[256];
    size_t i;

    for (i = 0; cell[i] && i < sizeof low - 1; i++)
        low[i] = (char)tolower((unsigned char)cell[i]);
    low[i] = '\0';
    return strstr(low, en) != NULL || strstr(cell, zh) != NULL;
}

static int find_col(const struct cells *h, const char *en, const char *zh)
{
    size_t i;

    for (i = 0; i < h->n; i++)
        if (header_is(h->v[i], en, zh))
            return (int)i;
    return -1;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int add_json_string(struct ac_buf *out, const char *s)
{
    json_t *j = json_string(s);
    char *enc;
    int rc = -1;

    if (!j)
        return -1;
    enc = json_dumps(j, JSON_ENCODE_ANY);
    if (enc)
        rc = ac_buf_adds(out, enc);
    free(enc);
    json_decref(j);
    return rc;
}

/* Accepts "4000001" and a code span "`4000001`". */
static long parse_code(const char *cell)
{
    size_t n = strlen(cell), i;
    long v = 0;

    if (n >= 2 && cell[0] == '`' && cell[n - 1] == '`') {
        cell++;
        n -= 2;
    }
    if (n != 7)
        return -1;
    for (i = 0; i < n; i++) {
        if (!isdigit((unsigned char)cell[i]))
            return -1;
        v = v * 10 + (cell[i] - '0');
    }
    return v;
}

int catalog_import_markdown(const char *name, const char *md, size_t len, struct ac_buf *out,
                            struct ac_error *err)
{
    struct line *lines = NULL;
    struct cells hdr = {{0}, 0}, row = {{0}, 0};
    struct ac_buf json = AC_BUF_INIT;
    long *codes = NULL;
    size_t *code_lines = NULL;
    size_t nlines = 0, i, k, ncodes = 0, start = 0;
    int col_code = -1, col_msg = -1, col_desc = -1, col_sol = -1, rc = -1, r;
    char where[300];
    struct catalog *check = NULL;

    for (i = 0; i <= len; i++) {
        if (i == len || md[i] == '\n') {
            struct line *nl = realloc(lines, (nlines + 1) * sizeof *lines);
            if (!nl)
                goto nomem;
            lines = nl;
            lines[nlines].p = md + start;
            lines[nlines].n = i - start;
            nlines++;
            start = i + 1;
        }
    }
    /* Find the header row of the first table that names both columns. */
    for (i = 0; i + 1 < nlines; i++) {
        r = split_row(lines[i], &hdr);
        if (r < 0)
            goto nomem;
        if (r == 1) {
            r = split_row(lines[i + 1], &row);
            if (r < 0)
                goto nomem;
            if (r == 1 && is_delimiter(&row) && row.n == hdr.n) {
                col_code = find_col(&hdr, "code", "错误码");
                col_msg = find_col(&hdr, "message", "错误信息");
                if (col_code >= 0 && col_msg >= 0 && col_code != col_msg) {
                    col_desc = find_col(&hdr, "description", "错误描述");
                    col_sol = find_col(&hdr, "solution", "解决方案");
                    cells_release(&row);
                    break;
                }
            }
            cells_release(&row);
        }
        cells_release(&hdr);
    }
    if (i + 1 >= nlines) {
        ac_error_set(err, AC_ERR_PARSE, name,
                     "no Markdown table with a code column (\"code\" or \"错误码\") and a "
                     "message column (\"message\" or \"错误信息\") found");
        goto out;
    }
    if (ac_buf_addf(&json, "{\n  \"format\": \"" CATALOG_FORMAT "\",\n  \"source\": ") < 0 ||
        add_json_string(&json, base_name(name)) < 0 ||
        ac_buf_adds(&json, ",\n  \"entries\": [\n") < 0)
        goto nomem;
    for (k = i + 2; k < nlines; k++) {
        const char *msg, *desc, *sol;
        long code;
        size_t bad, j;

        r = split_row(lines[k], &row);
        if (r < 0)
            goto nomem;
        if (r == 0)
            break; /* the table ends at the first line without a '|' */
        snprintf(where, sizeof where, "%s:%zu", name, k + 1);
        if ((int)row.n <= col_code || (int)row.n <= col_msg) {
            ac_error_set(err, AC_ERR_PARSE, where,
                         "row has %zu cells, expected %zu as in the header", row.n, hdr.n);
            goto out;
        }
        code = parse_code(row.v[col_code]);
        if (code < 0) {
            ac_error_set(err, AC_ERR_INVALID, where,
                         "code column: expected an integer of exactly 7 digits, got \"%s\"",
                         row.v[col_code]);
            goto out;
        }
        if (!catalog_status_is_error(catalog_code_status(code))) {
            ac_error_set(err, AC_ERR_INVALID, where,
                         "code %ld starts with %d, expected a 4xx or 5xx HTTP status", code,
                         catalog_code_status(code));
            goto out;
        }
        for (j = 0; j < ncodes; j++) {
            if (codes[j] == code) {
                ac_error_set(err, AC_ERR_INVALID, where, "duplicate code %ld, first at line %zu",
                             code, code_lines[j]);
                goto out;
            }
        }
        msg = row.v[col_msg];
        if (!msg[0]) {
            ac_error_set(err, AC_ERR_INVALID, where,
                         "message column: expected a non-empty message for code %ld", code);
            goto out;
        }
        if (!ac_utf8_valid(msg, strlen(msg), &bad)) {
            ac_error_set(err, AC_ERR_INVALID, where,
                         "message column: not valid UTF-8 (byte %zu of the cell); expected UTF-8 "
                         "text",
                         bad + 1);
            goto out;
        }
        desc = col_desc >= 0 && (int)row.n > col_desc ? row.v[col_desc] : "";
        sol = col_sol >= 0 && (int)row.n > col_sol ? row.v[col_sol] : "";
        if (!ac_utf8_valid(desc, strlen(desc), NULL) || !ac_utf8_valid(sol, strlen(sol), NULL)) {
            ac_error_set(err, AC_ERR_INVALID, where,
                         "description or solution column: not valid UTF-8");
            goto out;
        }
        {
            long *nc = realloc(codes, (ncodes + 1) * sizeof *codes);
            size_t *nl = nc ? realloc(code_lines, (ncodes + 1) * sizeof *code_lines) : NULL;
            if (nc)
                codes = nc;
            if (!nl)
                goto nomem;
            code_lines = nl;
            codes[ncodes] = code;
            code_lines[ncodes] = k + 1;
            ncodes++;
        }
        if (ac_buf_addf(&json, "%s    {\"code\": %ld, \"message\": ", ncodes > 1 ? ",\n" : "",
                        code) < 0 ||
            add_json_string(&json, msg) < 0 || ac_buf_adds(&json, ", \"description\": ") < 0 ||
            add_json_string(&json, desc) < 0 || ac_buf_adds(&json, ", \"solution\": ") < 0 ||
            add_json_string(&json, sol) < 0 || ac_buf_adds(&json, "}") < 0)
            goto nomem;
        cells_release(&row);
    }
    if (ncodes == 0) {
        ac_error_set(err, AC_ERR_INVALID, name,
                     "the table has no rows; expected at least one code");
        goto out;
    }
    if (ac_buf_adds(&json, "\n  ]\n}\n") < 0)
        goto nomem;
    /* The loader is the one authority on validity: what we write must load. */
    check = catalog_load_buffer(name, json.data, json.len, err);
    if (!check)
        goto out;
    if (ac_buf_add(out, json.data, json.len) < 0)
        goto nomem;
    rc = 0;
    goto out;
nomem:
    ac_error_nomem(err, name);
out:
    catalog_free(check);
    cells_release(&hdr);
    cells_release(&row);
    ac_buf_release(&json);
    free(lines);
    free(codes);
    free(code_lines);
    return rc;
}
