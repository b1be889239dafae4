/* tests/test_catalog.c -- catalog/: load, validate, look up, lint, import,
 * and the `apiconform catalog` commands. Error texts are asserted exactly:
 * they are part of what users see. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../catalog/catalog.h"
#include "testutil.h"

static struct catalog *shipped;

static int suite_init(void)
{
    struct ac_error e = AC_ERROR_INIT;
    shipped = catalog_load(t_path("%s/catalog/nce-errors.json", t_root()), &e);
    if (!shipped)
        fprintf(stderr, "cannot load shipped catalog: %s\n", e.text);
    return shipped ? 0 : -1;
}

static int suite_clean(void)
{
    catalog_free(shipped);
    return 0;
}

static const char *prog(void)
{
    return t_path("%s/apiconform", t_build());
}

/* Runs `apiconform catalog ARGS...`; returns the exit status. */
static int run_cli5(char **out, char **err, const char *a1, const char *a2, const char *a3,
                    const char *a4, const char *a5)
{
    char *argv[8] = {(char *)prog(), (char *)"catalog", (char *)a1, (char *)a2,
                     (char *)a3,     (char *)a4,        (char *)a5, NULL};
    return t_run(argv, NULL, out, err);
}

static int run_cli(char **out, char **err, const char *a1, const char *a2, const char *a3,
                   const char *a4)
{
    char *argv[8] = {(char *)prog(), (char *)"catalog", (char *)a1, (char *)a2,
                     (char *)a3,     (char *)a4,        NULL};
    return t_run(argv, NULL, out, err);
}

static void test_catalog_shipped_lookup(void)
{
    const struct catalog_entry *e;

    T_EQ_INT(catalog_count(shipped), 159);
    e = catalog_find(shipped, 4000459);
    T_TRUE(e != NULL);
    if (!e)
        return;
    T_EQ_STR(e->message, "Namspace not found");
    T_EQ_INT(e->status, 400);
    T_EQ_INT(e->service, 4);
    T_EQ_INT(e->detail, 59);
    e = catalog_find(shipped, 5000303);
    T_TRUE(e && e->status == 500 && e->service == 3 && e->detail == 3);
    T_TRUE(catalog_find(shipped, 4000000) == NULL);
    T_TRUE(catalog_find(shipped, 9999999) == NULL);
    /* File order is the seed's, not numeric: 4000482 comes before 4000469. */
    T_EQ_INT(catalog_at(shipped, 0)->code, 4000001);
    T_EQ_STR(catalog_service_name(shipped, 4), "load balancers");
    T_EQ_STR(catalog_service_name(shipped, 42), "service 42");
    T_EQ_INT(strlen(catalog_sha256(shipped)), 64);
}

/* The code scheme (catalog/code.h), written out digit by digit here so
 * that a slip in the header's arithmetic cannot hide behind itself. */
static void test_catalog_code_scheme(void)
{
    T_TRUE(catalog_code_valid(4040402));
    T_TRUE(catalog_code_valid(1000000));
    T_TRUE(catalog_code_valid(9999999));
    T_TRUE(!catalog_code_valid(999999));
    T_TRUE(!catalog_code_valid(10000000));
    T_TRUE(!catalog_code_valid(-4040402));
    T_EQ_INT(catalog_code_status(4040402), 404);
    T_EQ_INT(catalog_code_service(4040402), 4);
    T_EQ_INT(catalog_code_detail(4040402), 2);
    T_EQ_INT(catalog_code_status(5000399), 500);
    T_EQ_INT(catalog_code_service(5000399), 3);
    T_EQ_INT(catalog_code_detail(5000399), 99);
    /* Fewer digits read with leading zeros; what has no seven digit
     * positions has no parts, and so matches no status. */
    T_EQ_INT(catalog_code_status(4001), 0);
    T_EQ_INT(catalog_code_service(4001), 40);
    T_EQ_INT(catalog_code_detail(4001), 1);
    T_EQ_INT(catalog_code_status(-4040402), -1);
    T_EQ_INT(catalog_code_service(-4040402), -1);
    T_EQ_INT(catalog_code_detail(10000000), -1);
    T_EQ_INT(catalog_code_status(4294967296LL * 10000 + 4040402), -1);
    T_EQ_INT(catalog_code_make(404, 4, 2), 4040402);
    T_EQ_INT(catalog_code_make(429, 99, 99), 4299999);
}

/* The seed parsed with nothing of the importer: rows "| 7 digits | msg |". */
static int seed_tsv(struct ac_buf *out)
{
    char *md = t_read_file(t_path("%s/seed/error-codes.md", t_shared()), NULL);
    char *line, *save = NULL;
    int n = 0;

    if (!md)
        md = t_read_file(t_path("%s/catalog/nce-errors.md", t_root()), NULL);
    if (!md)
        return -1;
    for (line = strtok_r(md, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *c1, *c2, *end;
        if (line[0] != '|')
            continue;
        c1 = line + 1;
        while (*c1 == ' ')
            c1++;
        if (strspn(c1, "0123456789") != 7)
            continue;
        c2 = strchr(c1, '|') + 1;
        end = strchr(c2, '|');
        while (*c2 == ' ')
            c2++;
        while (end > c2 && end[-1] == ' ')
            end--;
        ac_buf_addf(out, "%.7s\t%.3s\t%.2s\t%.*s\n", c1, c1, c1 + 3, (int)(end - c2), c2);
        n++;
    }
    free(md);
    return n;
}

static void test_catalog_list_matches_seed(void)
{
    struct ac_buf want = AC_BUF_INIT;
    char *out = NULL;

    T_EQ_INT(seed_tsv(&want), 159);
    T_EQ_INT(run_cli(&out, NULL, "list", "--format", "tsv", NULL), 0);
    /* A header row names the columns; the rows are the seed's. */
    T_TRUE(out && strncmp(out, "code\tstatus\tservice\tmessage\n", 28) == 0);
    T_EQ_STR(out ? out + 28 : NULL, want.data);
    free(out);
    ac_buf_release(&want);
}

static void test_catalog_import_reproduces_committed(void)
{
    struct ac_error e = AC_ERROR_INIT;
    struct ac_buf json = AC_BUF_INIT;
    size_t mdlen;
    char *md = t_read_file(t_path("%s/catalog/nce-errors.md", t_root()), &mdlen);
    char *committed = t_read_file(t_path("%s/catalog/nce-errors.json", t_root()), NULL);

    T_TRUE(md && committed);
    if (md && committed) {
        T_EQ_INT(catalog_import_markdown("nce-errors.md", md, mdlen, &json, &e), 0);
        T_EQ_STR(json.data, committed);
    }
    free(md);
    free(committed);
    ac_buf_release(&json);
}

struct lint_acc {
    struct ac_buf text;
    int same, near;
};

static void on_lint(void *ud, enum catalog_lint_kind k, long a, long b, const char *text)
{
    struct lint_acc *acc = ud;
    (void)text;
    ac_buf_addf(&acc->text, "%ld/%ld ", a, b);
    if (k == CATALOG_LINT_SAME_MESSAGE)
        acc->same++;
    else
        acc->near++;
}

static void test_catalog_lint_seed_anomalies(void)
{
    struct lint_acc acc = {AC_BUF_INIT, 0, 0};
    char *out = NULL;

    T_EQ_INT(catalog_lint(shipped, on_lint, &acc), 11);
    T_EQ_INT(acc.same, 5);
    T_EQ_INT(acc.near, 6);
    T_EQ_STR(acc.text.data, "4000001/4000401 4000002/4000402 4000111/4000511 4000112/4000302 "
                            "4000113/4000213 4000199/4000299 4030201/4030301 4040001/4040301 "
                            "4040302/4040412 4090001/4090122 5000300/5000400 ");
    ac_buf_release(&acc.text);
    T_EQ_INT(run_cli(&out, NULL, "lint", t_path("%s/catalog/nce-errors.json", t_root()),
                     "--no-accepted", NULL),
             0);
    T_CONTAINS(out, "warning: same-message: 4000111 and 4000511 have the same message \"fail.\"");
    T_CONTAINS(out, "warning: near-message: 5000300 and 5000400 differ only by a trailing period "
                    "or letter case: \"Server Error\" / \"Server error\"");
    T_CONTAINS(out, "159 codes, valid, 11 warnings\n");
    free(out);
    /* The 11 are the contract as published, acknowledged beside the
     * catalog: lint is then quiet about them, and loud about a new one or
     * a stale acknowledgement. */
    T_EQ_INT(
        run_cli(&out, NULL, "lint", t_path("%s/catalog/nce-errors.json", t_root()), NULL, NULL), 0);
    T_NOT_CONTAINS(out, "warning:");
    T_CONTAINS(out, "159 codes, valid, 0 warnings, 11 accepted as published (");
    free(out);
    {
        static const char stale[] =
            "{\"accepted\": [{\"codes\": [4000111, 4000511], \"reason\": \"as published\"},"
            "{\"codes\": [4000001, 4000002], \"reason\": \"no such anomaly\"}]}";
        static const char bad[] = "{\"accepted\": [{\"codes\": [4000111], \"reason\": \"x\"}]}";
        const char *sp = t_write_temp("stale.json", stale, sizeof stale - 1);
        const char *bp = t_write_temp("badacc.json", bad, sizeof bad - 1);
        char *err = NULL;
        T_EQ_INT(run_cli(&out, NULL, "lint", t_path("%s/catalog/nce-errors.json", t_root()),
                         "--accepted", sp),
                 0);
        T_CONTAINS(out, "warning: stale: ");
        T_CONTAINS(out, " accepts 4000001 and 4000002, which are no anomaly of this catalog\n");
        T_CONTAINS(out, "159 codes, valid, 11 warnings, 1 accepted as published");
        free(out);
        T_EQ_INT(run_cli(NULL, &err, "lint", t_path("%s/catalog/nce-errors.json", t_root()),
                         "--accepted", bp),
                 2);
        T_CONTAINS(err, "badacc.json: accepted[0]: expected {\"codes\": [CODE, CODE], ");
        free(err);
    }
}

/* One malformed catalog: the loader's exact message, and `catalog lint`
 * exits 2 printing "apiconform: <message>". */
static void bad_catalog(const char *content, size_t len, const char *expected)
{
    struct ac_error e = AC_ERROR_INIT;
    const char *path = t_write_temp("bad.json", content, len);
    struct catalog *c = catalog_load(path, &e);
    char msg[700], *err = NULL, want[800];
    const char *rel;

    T_TRUE(c == NULL);
    catalog_free(c);
    ac_error_str(&e, msg, sizeof msg);
    rel = strstr(msg, "bad.json");
    T_EQ_STR(rel, expected);
    T_EQ_INT(run_cli(NULL, &err, "lint", path, NULL, NULL), 2);
    snprintf(want, sizeof want, "apiconform: %s\n", msg);
    T_EQ_STR(err, want);
    free(err);
}

#define BAD(json, expected) bad_catalog(json, sizeof json - 1, expected)

/* The program finds its catalog from its own location: a ./catalog in the
 * working directory is somebody else's and is not read, and the path it
 * names has no "..". */
static void test_catalog_found_from_the_program(void)
{
    char dir[512], cmd[4096], *out = NULL;
    char *argv[] = {(char *)"/bin/sh", (char *)"-c", cmd, NULL};

    snprintf(dir, sizeof dir, "%s/elsewhere", t_build());
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/catalog && echo '{}' > %s/catalog/nce-errors.json && cd %s && "
             "exec %s catalog lint",
             dir, dir, dir, prog());
    T_EQ_INT(t_run(argv, NULL, &out, NULL), 0);
    T_CONTAINS(out, "/catalog/nce-errors.json: 159 codes, valid, 0 warnings, 11 accepted");
    T_NOT_CONTAINS(out, "elsewhere");
    T_NOT_CONTAINS(out, "/../");
    free(out);
    /* A program without its data says where it looked and names the flag. */
    if (access("/usr/local/share/apiconform/nce-errors.json", R_OK) != 0) {
        char *err = NULL;
        snprintf(cmd, sizeof cmd,
                 "mkdir -p %s/lonely/bin && cp %s %s/lonely/bin/ && cd %s && "
                 "exec %s/lonely/bin/apiconform catalog list",
                 dir, prog(), dir, dir, dir);
        T_EQ_INT(t_run(argv, NULL, NULL, &err), 2);
        T_CONTAINS(err, "the shipped catalog is not at ");
        T_CONTAINS(err, "give one with --catalog FILE");
        free(err);
    }
}

/* lint names every error of a catalog, not only the first. */
static void test_catalog_lint_names_every_error(void)
{
    static const char text[] =
        "{\"format\": \"apiconform-catalog/1\", \"entries\": ["
        "{\"code\": 4000001, \"message\": \"a\"}, {\"code\": 12, \"message\": \"b\"},"
        "{\"code\": 4000001, \"message\": \"c\"}, {\"code\": 4000002},"
        "{\"code\": 4000003, \"message\": \"ok\", \"x\": 1}]}";
    const char *path = t_write_temp("many.json", text, sizeof text - 1);
    char *err = NULL;

    T_EQ_INT(run_cli(NULL, &err, "lint", path, NULL, NULL), 2);
    T_CONTAINS(err, "many.json: entry 1 (code): expected an integer of exactly 7 digits, got 12\n");
    T_CONTAINS(err, "many.json: entry 3 (message): missing; expected a non-empty string\n");
    T_CONTAINS(err, "many.json: entry 4: unknown key \"x\"");
    T_CONTAINS(err, "many.json: entry 2 (code): duplicate code 4000001, first at entry 0\n");
    T_CONTAINS(err, "many.json: 4 errors\n");
    free(err);
}

static void test_catalog_rejects_malformed(void)
{
    BAD("{\"entries\": [", "bad.json:1:13: not valid JSON: ']' expected near end of file");
    BAD("[]", "bad.json: expected a JSON object with an \"entries\" array, got array");
    BAD("{\"codes\": []}",
        "bad.json: unknown key \"codes\" (expected format, source, services, entries)");
    BAD("{\"format\": \"apiconform-catalog/1\"}",
        "bad.json: expected an \"entries\" array, got nothing");
    /* Another version of the format is refused, not read as this one. */
    BAD("{\"format\": \"something/2\", \"entries\": []}",
        "bad.json: format: expected \"apiconform-catalog/1\", got \"something/2\"");
    BAD("{\"format\": 1, \"entries\": []}",
        "bad.json: format: expected the string \"apiconform-catalog/1\", got integer");
    BAD("{\"entries\": {}}", "bad.json: expected an \"entries\" array, got object");
    BAD("{\"entries\": []}", "bad.json: \"entries\" is empty; expected at least one code");
    BAD("{\"entries\": [\"4000001\"]}",
        "bad.json: entry 0: expected an object with \"code\" and \"message\", got string");
    BAD("{\"entries\": [{\"message\": \"x\"}]}",
        "bad.json: entry 0 (code): missing; expected an integer of exactly 7 digits");
    BAD("{\"entries\": [{\"code\": \"4000001\", \"message\": \"x\"}]}",
        "bad.json: entry 0 (code): expected an integer of exactly 7 digits, got string");
    BAD("{\"entries\": [{\"code\": 4000001.0, \"message\": \"x\"}]}",
        "bad.json: entry 0 (code): expected an integer of exactly 7 digits, got real number");
    BAD("{\"entries\": [{\"code\": 400001, \"message\": \"x\"}]}",
        "bad.json: entry 0 (code): expected an integer of exactly 7 digits, got 400001");
    BAD("{\"entries\": [{\"code\": 40000011, \"message\": \"x\"}]}",
        "bad.json: entry 0 (code): expected an integer of exactly 7 digits, got 40000011");
    BAD("{\"entries\": [{\"code\": 4000001, \"message\": \"a\"}, {\"code\": 3020001, "
        "\"message\": \"b\"}]}",
        "bad.json: entry 1 (code): 3020001 starts with 302, expected a 4xx or 5xx HTTP status");
    BAD("{\"entries\": [{\"code\": 4600001, \"message\": \"x\"}]}",
        "bad.json: entry 0 (code): 4600001 starts with 460, expected a 4xx or 5xx HTTP status");
    BAD("{\"entries\": [{\"code\": 4000001, \"message\": \"a\"}, {\"code\": 4040001, "
        "\"message\": \"b\"}, {\"code\": 4000001, \"message\": \"c\"}]}",
        "bad.json: entry 2 (code): duplicate code 4000001, first at entry 0");
    BAD("{\"entries\": [{\"code\": 4000001}]}",
        "bad.json: entry 0 (message): missing; expected a non-empty string");
    BAD("{\"entries\": [{\"code\": 4000001, \"message\": \"\"}]}",
        "bad.json: entry 0 (message): expected a non-empty string, got \"\"");
    BAD("{\"entries\": [{\"code\": 4000001, \"message\": 7}]}",
        "bad.json: entry 0 (message): expected a non-empty string, got integer");
    BAD("{\"entries\": [{\"code\": 4000001, \"message\": \"ok\"}, {\"code\": 4000002, "
        "\"message\": \"bad \xff byte\"}]}",
        "bad.json:1:83: not valid UTF-8 (unable to decode byte 0xff near '\"bad '); expected "
        "UTF-8 text");
    BAD("{\"entries\": [{\"code\": 4000001, \"message\": \"lone \\udc00\"}]}",
        "bad.json:1:55: not valid JSON: invalid Unicode '\\uDC00' near '\"lone \\udc00\"'");
    BAD("{\"entries\": [{\"code\": 4000001, \"mesage\": \"x\"}]}",
        "bad.json: entry 0: unknown key \"mesage\" (expected code, message, description, "
        "solution)");
    BAD("{\"entries\": [{\"code\": 4000001, \"message\": \"a\", \"message\": \"b\"}]}",
        "bad.json:1:56: not valid JSON: duplicate object key near '\"message\"'");
    BAD("{\"entries\": [{\"code\": 4000001, \"message\": \"x\", \"solution\": 3}]}",
        "bad.json: entry 0 (solution): expected a string, got integer");
}

static void import_ok(const char *md, const char *expect_entries_line)
{
    struct ac_error e = AC_ERROR_INIT;
    struct ac_buf json = AC_BUF_INIT;
    char msg[600];

    T_EQ_INT(catalog_import_markdown("api.md", md, strlen(md), &json, &e), 0);
    if (e.code)
        T_EQ_STR(ac_error_str(&e, msg, sizeof msg), "");
    T_CONTAINS(json.data, expect_entries_line);
    ac_buf_release(&json);
}

static void import_bad(const char *md, const char *expected)
{
    struct ac_error e = AC_ERROR_INIT;
    struct ac_buf json = AC_BUF_INIT;
    char msg[600];

    T_EQ_INT(catalog_import_markdown("api.md", md, strlen(md), &json, &e), -1);
    T_EQ_STR(ac_error_str(&e, msg, sizeof msg), expected);
    T_EQ_INT(json.len, 0);
    ac_buf_release(&json);
}

static void test_catalog_import_markdown_shapes(void)
{
    /* English headers, columns in another order, no outer pipes. */
    import_ok("Errors\n\nMessage | Code\n--- | :---:\n  Not found  |  4040001 \n",
              "{\"code\": 4040001, \"message\": \"Not found\", \"description\": \"\", "
              "\"solution\": \"\"}");
    /* CJK headers, padding, an escaped pipe, a code span, description kept. */
    import_ok("| 错误码 | 错误信息 | 错误描述 | 解决方案 |\n|:--|--|--|--|\n"
              "| `4000001` |   a \\| b   | 说明 | retry |\n",
              "{\"code\": 4000001, \"message\": \"a | b\", \"description\": \"说明\", "
              "\"solution\": \"retry\"}");
    /* A first table without the right columns is passed over. */
    import_ok("| a | b |\n|---|---|\n| 1 | 2 |\n\n| code | message |\n|---|---|\n"
              "| 5000001 | Boom. |\n",
              "\"code\": 5000001, \"message\": \"Boom.\"");
    /* Trailing spaces inside a message are padding; inner bytes are kept. */
    import_ok("|code|message|\n|-|-|\n|4000001|Param  cmd lengh\t out |\n",
              "\"message\": \"Param  cmd lengh\\t out\"");
}

static void test_catalog_import_markdown_errors(void)
{
    import_bad("no table here\n",
               "api.md: no Markdown table with a code column (\"code\" or \"错误码\") and a "
               "message column (\"message\" or \"错误信息\") found");
    import_bad("| code | message |\n|---|---|\n| 400001 | x |\n",
               "api.md:3: code column: expected an integer of exactly 7 digits, got \"400001\"");
    import_bad("| code | message |\n|---|---|\n| 3000001 | x |\n",
               "api.md:3: code 3000001 starts with 300, expected a 4xx or 5xx HTTP status");
    import_bad("| code | message |\n|---|---|\n| 4000001 | x |\n| 4000001 | y |\n",
               "api.md:4: duplicate code 4000001, first at line 3");
    import_bad("| code | message |\n|---|---|\n| 4000001 |  |\n",
               "api.md:3: message column: expected a non-empty message for code 4000001");
    import_bad("| code | message |\n|---|---|\n| 4000001 | bad \xc0\xaf |\n",
               "api.md:3: message column: not valid UTF-8 (byte 5 of the cell); expected UTF-8 "
               "text");
    import_bad("| code | message |\n|---|---|\n| 4000001 |\n",
               "api.md:3: row has 1 cells, expected 2 as in the header");
    import_bad("| code | message |\n|---|---|\n\n", "api.md: the table has no rows; expected at "
                                                    "least one code");
}

static void test_catalog_cli(void)
{
    char *out = NULL, *err = NULL;

    T_EQ_INT(run_cli(&out, NULL, "show", "4000459", NULL, NULL), 0);
    T_CONTAINS(out, "message:     Namspace not found\n");
    T_CONTAINS(out, "status:      400\n");
    T_CONTAINS(out, "service:     04 (load balancers)\n");
    T_CONTAINS(out, "detail:      59\n");
    free(out);
    T_EQ_INT(run_cli(NULL, &err, "show", "4000000", NULL, NULL), 2);
    T_CONTAINS(err, "apiconform: code 4000000 is not in the catalog");
    free(err);
    T_EQ_INT(run_cli(NULL, &err, "show", "abc", NULL, NULL), 2);
    T_EQ_STR(err, "apiconform: 'abc' is not a 7-digit code\n"
                  "Try 'apiconform --help' for more information.\n");
    free(err);
    T_EQ_INT(run_cli5(&out, NULL, "list", "--service", "03", "--format", "tsv"), 0);
    {
        size_t lines = 0;
        for (char *p = out; p && *p; p++)
            lines += *p == '\n';
        T_EQ_INT(lines, 11); /* the header row and 10 codes */
    }
    free(out);
    T_EQ_INT(run_cli5(&out, NULL, "list", "--status", "415", NULL, NULL), 0);
    T_CONTAINS(out, "4150001  415  00 platform        Unsupported media type.\n");
    free(out);
    T_EQ_INT(run_cli5(&out, NULL, "list", "--format", "json", "--status", "405"), 0);
    {
        json_error_t je;
        json_t *j = json_loads(out ? out : "", 0, &je);
        T_TRUE(json_is_array(j) && json_array_size(j) == 1);
        T_EQ_INT(json_integer_value(json_object_get(json_array_get(j, 0), "code")), 4050001);
        /* The service number, and its name beside it. */
        T_EQ_INT(json_integer_value(json_object_get(json_array_get(j, 0), "service")), 0);
        T_EQ_STR(json_string_value(json_object_get(json_array_get(j, 0), "service_name")),
                 "platform");
        json_decref(j);
    }
    free(out);
    T_EQ_INT(run_cli5(NULL, &err, "list", "--format", "xml", NULL, NULL), 2);
    T_EQ_STR(err, "apiconform: --format: expected text, json or tsv, got 'xml'\n"
                  "Try 'apiconform --help' for more information.\n");
    free(err);
    /* A filter that matches nothing is not an empty success. */
    T_EQ_INT(run_cli5(&out, &err, "list", "--status", "503", NULL, NULL), 2);
    T_EQ_STR(out, "");
    T_EQ_STR(err, "apiconform: catalog list: no code has status 503\n"
                  "Try 'apiconform --help' for more information.\n");
    free(out);
    free(err);
    T_EQ_INT(run_cli(NULL, &err, "list", "--bogus", NULL, NULL), 2);
    T_EQ_STR(err, "apiconform: catalog: unknown option '--bogus'\n"
                  "Try 'apiconform --help' for more information.\n");
    free(err);
    T_EQ_INT(run_cli(NULL, &err, "lint", "/nonexistent.json", NULL, NULL), 2);
    T_EQ_STR(err, "apiconform: cannot open '/nonexistent.json': No such file or directory\n");
    free(err);
    T_EQ_INT(run_cli(&out, NULL, "--help", NULL, NULL, NULL), 0);
    T_CONTAINS(out, "Usage: apiconform catalog list");
    free(out);
}

static void test_catalog_cli_import_roundtrip(void)
{
    const char *text = "| 错误码 | 错误信息 |\n|--|--|\n| 4040001 | Gone |\n";
    const char *md = t_write_temp("t.md", text, strlen(text));
    const char *outp = t_path("%s.json", md);
    char *argv[] = {(char *)prog(),
                    (char *)"catalog",
                    (char *)"import",
                    (char *)md,
                    (char *)"-o",
                    (char *)outp,
                    NULL};
    char *lint_out = NULL;

    T_EQ_INT(t_run(argv, NULL, NULL, NULL), 0);
    T_EQ_INT(run_cli(&lint_out, NULL, "lint", outp, NULL, NULL), 0);
    T_CONTAINS(lint_out, "1 code, valid, 0 warnings");
    free(lint_out);
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("catalog", suite_init, suite_clean);

    if (!s ||
        !CU_add_test(s, "loads the shipped catalog and looks up codes",
                     test_catalog_shipped_lookup) ||
        !CU_add_test(s, "reads codes by the code scheme", test_catalog_code_scheme) ||
        !CU_add_test(s, "list --format tsv equals the seed table",
                     test_catalog_list_matches_seed) ||
        !CU_add_test(s, "importing the seed reproduces the committed JSON",
                     test_catalog_import_reproduces_committed) ||
        !CU_add_test(s, "lint reports exactly the seed's anomalies",
                     test_catalog_lint_seed_anomalies) ||
        !CU_add_test(s, "lint names every error", test_catalog_lint_names_every_error) ||
        !CU_add_test(s, "the catalog is found from the program, not the working directory",
                     test_catalog_found_from_the_program) ||
        !CU_add_test(s, "rejects malformed catalogs with exact errors",
                     test_catalog_rejects_malformed) ||
        !CU_add_test(s, "imports Markdown tables of several shapes",
                     test_catalog_import_markdown_shapes) ||
        !CU_add_test(s, "rejects bad Markdown tables with exact errors",
                     test_catalog_import_markdown_errors) ||
        !CU_add_test(s, "catalog show, list and usage errors", test_catalog_cli) ||
        !CU_add_test(s, "catalog import writes a catalog that lints",
                     test_catalog_cli_import_roundtrip))
        return -1;
    return 0;
}
