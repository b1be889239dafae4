/* tests/suitefix.c -- see suitefix.h. */
#include "suitefix.h"

#include <stdio.h>
#include <string.h>

#include "testutil.h"

struct catalog *sf_cat;

/* Returns s with every ' turned into " (static rotating buffers). */
const char *sf_jq(const char *s)
{
    static char bufs[8][8192];
    static int next;
    char *b = bufs[next++ % 8];
    size_t i;

    for (i = 0; s[i] && i < sizeof bufs[0] - 1; i++)
        b[i] = s[i] == '\'' ? '"' : s[i];
    b[i] = '\0';
    return b;
}

/* A file with one scenario for code 4040402: extra keys (ending with a
 * comma, or "") before the probe request. */
const char *sf_one(const char *extra, const char *request)
{
    static char bufs[4][8192];
    static int next;
    char *b = bufs[next++ % 4];

    snprintf(b, sizeof bufs[0],
             "{'scenarios': [{'id': 'x', 'code': 4040402, 'title': 't', 'class': 'stateless', "
             "%s 'request': %s}]}",
             extra, request);
    return sf_jq(b);
}

/* Loads text as the file name (fixtures: NULL or text with '); returns
 * "ok" or the error as "where: text". */
const char *sf_load_msg(const char *name, const char *text, const char *fixtures)
{
    static char msg[1024];
    struct ac_error e = AC_ERROR_INIT;
    struct suite *s;

    s = suite_load_file_buffer(name, text, strlen(text), fixtures ? sf_jq(fixtures) : NULL, sf_cat,
                               &e);
    if (s) {
        suite_free(s);
        return "ok";
    }
    return ac_error_str(&e, msg, sizeof msg);
}

struct suite *sf_load_ok(const char *text, const char *fixtures)
{
    struct ac_error e = AC_ERROR_INIT;
    char msg[600];
    struct suite *s;

    s = suite_load_file_buffer(NAME, text, strlen(text), fixtures ? sf_jq(fixtures) : NULL, sf_cat,
                               &e);
    if (!s)
        T_EQ_STR(ac_error_str(&e, msg, sizeof msg), "ok");
    return s;
}

void sf_run_cases(const struct err_case *c, size_t n)
{
    const char *text, *got;
    size_t i;

    for (i = 0; i < n; i++) {
        text = c[i].request ? sf_one(c[i].extra, c[i].request) : sf_jq(c[i].text);
        got = sf_load_msg(c[i].name ? c[i].name : NAME, text, c[i].fixtures);
        if (strcmp(got, c[i].expected) != 0)
            fprintf(stderr, "\n  case %zu: %s\n", i, text);
        T_EQ_STR(got, c[i].expected);
    }
}

const char *sf_with_id(const char *id, long code)
{
    static char bufs[4][1024];
    static int next;
    char *b = bufs[next++ % 4];

    snprintf(b, sizeof bufs[0],
             "{'scenarios': [{'id': '%s', 'code': %ld, 'title': 't', 'class': 'stateless', "
             "'request': {'method': 'GET', 'path': '/a'}}]}",
             id, code);
    return sf_jq(b);
}
int sf_init(void)
{
    struct ac_error e = AC_ERROR_INIT;
    char msg[600];

    sf_cat = catalog_load(t_path("%s/catalog/nce-errors.json", t_root()), &e);
    if (!sf_cat)
        fprintf(stderr, "cannot load the catalog: %s\n", ac_error_str(&e, msg, sizeof msg));
    return sf_cat ? 0 : -1;
}

int sf_cleanup(void)
{
    catalog_free(sf_cat);
    return 0;
}
