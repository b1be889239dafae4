/* tests/test_shell.c -- what apiconform offers a person at a shell: colour
 * on a terminal (NO_COLOR, TERM=dumb, --color), the bash and zsh completion
 * scripts generated from the option tables, and the scenario scaffold,
 * whose output loads with the suite loader once its placeholders are
 * filled. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../catalog/catalog.h"
#include "../suite/suite.h"
#include "refproc.h"
#include "testutil.h"

static const char *apiconform(void)
{
    return t_path("%s/apiconform", t_build());
}

/* A fresh directory under build/shell/. Static rotating buffer. */
static const char *work_dir(const char *name)
{
    static char paths[8][512];
    static int next;
    char *p = paths[next++ % 8];

    mkdir(t_path("%s/shell", t_build()), 0755);
    snprintf(p, sizeof paths[0], "%s/shell/%s", t_build(), name);
    if (system(t_path("rm -rf '%s'", p)) != 0)
        return NULL;
    mkdir(p, 0755);
    return p;
}

/* The last line of s ("" when none), into buf. */
static const char *last_line(const char *s, char *buf, size_t size)
{
    const char *end, *start;

    buf[0] = '\0';
    if (!s || !*s)
        return buf;
    end = s + strlen(s);
    while (end > s && (end[-1] == '\n' || end[-1] == '\r'))
        end--;
    start = end;
    while (start > s && start[-1] != '\n')
        start--;
    snprintf(buf, size, "%.*s", (int)(end - start), start);
    return buf;
}

/* apiconform run of one failing code against r with extra arguments,
 * through /usr/bin/env with env (NULL-ended "-u NAME" / "NAME=value"
 * words), wrapped in script(1) for a terminal when tty is set. */
static int run_colour(const struct refproc *r, const char *const *env, const char *color, int tty,
                      char **out)
{
    char cmd[2048];
    const char *argv[32];
    int n = 0, i;
    size_t len;

    len = (size_t)snprintf(cmd, sizeof cmd,
                           "'%s' run --base-url %s --suite '%s/tests/data/suite/example' "
                           "--code 4150001 --code 4040402",
                           apiconform(), r->url, t_root());
    if (color)
        snprintf(cmd + len, sizeof cmd - len, " --color %s", color);
    argv[n++] = "/usr/bin/env";
    for (i = 0; env && env[i]; i++) /* env's options come first */
        argv[n++] = env[i];
    argv[n++] = "APICONFORM_APP_KEY=conformance-key";
    argv[n++] = "APICONFORM_APP_SECRET=conformance-secret";
    if (tty) {
        /* script(1) gives the command a pseudo-terminal for stdout. */
        argv[n++] = "script";
        argv[n++] = "-qec";
        argv[n++] = cmd;
        argv[n++] = "/dev/null";
    } else {
        argv[n++] = "sh";
        argv[n++] = "-c";
        argv[n++] = cmd;
    }
    argv[n] = NULL;
    return t_run((char *const *)argv, NULL, out, NULL);
}

/* 1 when s holds an SGR (colour) sequence, ESC [ digits and ; then m.
 * The live progress line's ESC [ K is not one. */
static int has_sgr(const char *s)
{
    const char *p = s ? strstr(s, "\033[") : NULL;

    while (p) {
        p += 2;
        while ((*p >= '0' && *p <= '9') || *p == ';')
            p++;
        if (*p == 'm')
            return 1;
        p = strstr(p, "\033[");
    }
    return 0;
}

#define FAIL_TAG "\033[1;31mFAIL \033[0m 4150001 secret-key-text-body: "

/* Colour on a terminal, unless NO_COLOR or TERM=dumb says no; --color
 * always and never win; the tally line is never coloured and stays last. */
static void test_shell_colour(void)
{
    struct refproc r;
    char *out = NULL, line[512];
    static const char *const plain_env[] = {"-u", "NO_COLOR", "TERM=xterm", NULL};
    static const char *const no_color[] = {"NO_COLOR=1", "TERM=xterm", NULL};
    static const char *const empty_no_color[] = {"NO_COLOR=", "TERM=xterm", NULL};
    static const char *const dumb[] = {"-u", "NO_COLOR", "TERM=dumb", NULL};

    T_EQ_INT(refproc_start(&r, (const char *const[]){"--mutate", "message-drop-period", NULL}), 0);
    /* A terminal: coloured tag and headline, plain tally, last. */
    T_EQ_INT(run_colour(&r, plain_env, NULL, 1, &out), 1);
    T_CONTAINS(out, FAIL_TAG);
    T_CONTAINS(out, "\033[1;31mFailed: ");
    T_EQ_STR(last_line(out, line, sizeof line), "1 passed, 1 failed, 0 errors, 0 skipped");
    free(out);
    /* NO_COLOR set and not empty, or TERM=dumb: no colour on a terminal. */
    T_EQ_INT(run_colour(&r, no_color, NULL, 1, &out), 1);
    T_CONTAINS(out, "FAIL  4150001 secret-key-text-body: ");
    T_TRUE(out && !has_sgr(out));
    free(out);
    T_EQ_INT(run_colour(&r, dumb, NULL, 1, &out), 1);
    T_TRUE(out && !has_sgr(out));
    free(out);
    /* An empty NO_COLOR does not count (no-color.org). */
    T_EQ_INT(run_colour(&r, empty_no_color, NULL, 1, &out), 1);
    T_CONTAINS(out, FAIL_TAG);
    free(out);
    /* --color never on a terminal; not a terminal: none; always: colour. */
    T_EQ_INT(run_colour(&r, plain_env, "never", 1, &out), 1);
    T_TRUE(out && !has_sgr(out));
    free(out);
    T_EQ_INT(run_colour(&r, plain_env, NULL, 0, &out), 1);
    T_TRUE(out && !has_sgr(out));
    free(out);
    T_EQ_INT(run_colour(&r, no_color, "always", 0, &out), 1);
    T_CONTAINS(out, FAIL_TAG);
    T_EQ_STR(last_line(out, line, sizeof line), "1 passed, 1 failed, 0 errors, 0 skipped");
    free(out);
    refproc_stop(&r);
}

/* --color: a bad value is a usage error; diff colours its labels. */
static void test_shell_colour_diff_and_usage(void)
{
    char *out = NULL, *err = NULL;
    const char *old_json = t_path("%s/tests/data/reports/pass/results.json", t_root());
    const char *new_json = t_path("%s/tests/data/reports/failures/results.json", t_root());

    T_EQ_INT(t_run((char *const[]){(char *)apiconform(), (char *)"run", (char *)"--color",
                                   (char *)"yes", NULL},
                   NULL, &out, &err),
             2);
    T_CONTAINS(err, "run: --color: expected auto, always or never, got 'yes'");
    free(out);
    free(err);
    T_EQ_INT(t_run((char *const[]){(char *)apiconform(), (char *)"diff", (char *)"--color=always",
                                   (char *)old_json, (char *)new_json, NULL},
                   NULL, &out, NULL),
             1);
    T_CONTAINS(out, "\033[1;31mnew failure\033[0m   4000001 bad-json-body: ");
    T_TRUE(out && !strstr(out, "\033[0m new failures"));
    free(out);
    T_EQ_INT(t_run((char *const[]){(char *)apiconform(), (char *)"diff", (char *)old_json,
                                   (char *)new_json, NULL},
                   NULL, &out, NULL),
             1);
    T_CONTAINS(out, "new failure   4000001 bad-json-body: ");
    T_TRUE(out && !strchr(out, 0x1b));
    free(out);
}

/* The words "--name" of a help page: every option it lists. */
static size_t help_options(const char *help, char names[][64], size_t max)
{
    size_t n = 0;
    const char *p = help ? strstr(help, "--") : NULL;

    for (; p && n < max; p = strstr(p, "--")) {
        size_t len = 2;
        while ((p[len] >= 'a' && p[len] <= 'z') || p[len] == '-')
            len++;
        if (len > 2 && (p == help || p[-1] == ' ')) {
            snprintf(names[n], 64, "%.*s", (int)len, p);
            n++;
        }
        p += len;
    }
    return n;
}

static const char *const subcommands[][2] = {
    {"run", NULL},   {"coverage", NULL}, {"report", NULL},   {"merge", NULL},      {"diff", NULL},
    {"sweep", NULL}, {"catalog", NULL},  {"scenario", NULL}, {"completion", NULL},
};

/* Every option each subcommand's --help lists is in both scripts, and
 * every subcommand of apiconform --help: an option cannot be added
 * without its completion. */
static void test_shell_completion_covers_every_option(void)
{
    char *bash = NULL, *zsh = NULL, *help = NULL, names[128][64], pattern[96];
    size_t i, k, n;

    T_EQ_INT(
        t_run((char *const[]){(char *)apiconform(), (char *)"completion", (char *)"bash", NULL},
              NULL, &bash, NULL),
        0);
    T_EQ_INT(t_run((char *const[]){(char *)apiconform(), (char *)"completion", (char *)"zsh", NULL},
                   NULL, &zsh, NULL),
             0);
    T_EQ_INT(
        t_run((char *const[]){(char *)apiconform(), (char *)"--help", NULL}, NULL, &help, NULL), 0);
    for (i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++) {
        char *sub = NULL;
        snprintf(pattern, sizeof pattern, "\n  %s ", subcommands[i][0]);
        T_CONTAINS(help, pattern);
        snprintf(pattern, sizeof pattern, "    %s)\n", subcommands[i][0]);
        T_CONTAINS(bash, pattern);
        T_CONTAINS(zsh, pattern);
        T_EQ_INT(t_run((char *const[]){(char *)apiconform(), (char *)subcommands[i][0],
                                       (char *)"--help", NULL},
                       NULL, &sub, NULL),
                 0);
        n = help_options(sub, names, 128);
        T_TRUE(n > 0);
        for (k = 0; k < n; k++) {
            snprintf(pattern, sizeof pattern, " %.63s", names[k]);
            T_CONTAINS(bash, pattern);
            snprintf(pattern, sizeof pattern, "'%.63s", names[k]);
            T_CONTAINS(zsh, pattern);
        }
        free(sub);
    }
    /* Fixed values where the program knows them. */
    T_CONTAINS(bash, "--class) _apiconform_words 'stateless stateful limit fault'");
    T_CONTAINS(bash, "--message-match) _apiconform_words 'exact normalized ignore'");
    T_CONTAINS(bash, "--color) _apiconform_words 'auto always never'");
    T_CONTAINS(zsh, "--format=[list\\: text (default), json or tsv]:FMT:(text json tsv)'");
    T_CONTAINS(zsh, "--suite=[scenario directory (default\\: ./suite or the installed one)]:DIR:"
                    "_files -/'");
    free(bash);
    free(zsh);
    free(help);
}

/* The scripts parse (bash -n, zsh -n when zsh is installed), and sourced
 * in bash, "apiconform run --base-u" completes --base-url. */
static void test_shell_completion_works(void)
{
    const char *dir = work_dir("completion");
    char *out = NULL, *err = NULL, *script = NULL;
    const char *bash_path = t_path("%s/apiconform.bash", dir);
    const char *zsh_path = t_path("%s/_apiconform", dir);
    FILE *f;

    T_TRUE(dir != NULL);
    T_EQ_INT(
        t_run((char *const[]){(char *)apiconform(), (char *)"completion", (char *)"bash", NULL},
              NULL, &script, NULL),
        0);
    f = fopen(bash_path, "w");
    T_TRUE(f && script && fputs(script, f) >= 0);
    if (f)
        fclose(f);
    free(script);
    T_EQ_INT(t_run((char *const[]){(char *)"/bin/bash", (char *)"-n", (char *)bash_path, NULL},
                   NULL, NULL, &err),
             0);
    free(err);
    T_EQ_INT(t_run((char *const[]){(char *)"/bin/bash", (char *)"-c",
                                   (char *)t_path(
                                       ". '%s'; t() { COMP_WORDS=(\"$@\"); "
                                       "COMP_CWORD=$(($# - 1)); COMPREPLY=(); _apiconform; "
                                       "echo \"[$*] ${COMPREPLY[*]}\"; }; "
                                       "t apiconform run --base-u; t apiconform run --ba; "
                                       "t apiconform ru; t apiconform run --class st; "
                                       "t apiconform run --allow destructive,li; "
                                       "t apiconform catalog --format t; t apiconform catalog l; "
                                       "t apiconform completion z",
                                       bash_path),
                                   NULL},
                   NULL, &out, &err),
             0);
    T_CONTAINS(out, "[apiconform run --base-u] --base-url\n");
    T_CONTAINS(out, "[apiconform run --ba] --base-url --baseline\n");
    T_CONTAINS(out, "[apiconform ru] run\n");
    T_CONTAINS(out, "[apiconform run --class st] stateless stateful\n");
    T_CONTAINS(out, "[apiconform run --allow destructive,li] destructive,limit\n");
    T_CONTAINS(out, "[apiconform catalog --format t] text tsv\n");
    T_CONTAINS(out, "[apiconform catalog l] list lint\n");
    T_CONTAINS(out, "[apiconform completion z] zsh\n");
    T_EQ_STR(err, "");
    free(out);
    free(err);
    T_EQ_INT(t_run((char *const[]){(char *)apiconform(), (char *)"completion", (char *)"zsh", NULL},
                   NULL, &script, NULL),
             0);
    f = fopen(zsh_path, "w");
    T_TRUE(f && script && fputs(script, f) >= 0);
    if (f)
        fclose(f);
    free(script);
    if (access("/usr/bin/zsh", X_OK) == 0 || access("/bin/zsh", X_OK) == 0) {
        T_EQ_INT(t_run((char *const[]){(char *)(access("/usr/bin/zsh", X_OK) == 0 ? "/usr/bin/zsh"
                                                                                  : "/bin/zsh"),
                                       (char *)"-n", (char *)zsh_path, NULL},
                       NULL, NULL, &err),
                 0);
        T_EQ_STR(err, "");
        free(err);
    } else {
        fprintf(stderr, "test_shell: zsh is not installed: the zsh script's syntax is not "
                        "checked\n");
    }
    T_EQ_INT(
        t_run((char *const[]){(char *)apiconform(), (char *)"completion", (char *)"fish", NULL},
              NULL, NULL, &err),
        2);
    T_CONTAINS(err, "completion: unknown shell 'fish' (expected bash or zsh)");
    free(err);
}

/* Replaces the first "from" in s (heap) by "to"; returns the new heap
 * string (s freed), or s when from is not there. */
static char *replace(char *s, const char *from, const char *to)
{
    char *at = s ? strstr(s, from) : NULL, *r;
    size_t head, fl = strlen(from), tl = strlen(to);

    if (!at)
        return s;
    head = (size_t)(at - s);
    r = malloc(strlen(s) - fl + tl + 1);
    if (!r)
        return s;
    memcpy(r, s, head);
    memcpy(r + head, to, tl);
    strcpy(r + head + tl, at + fl);
    free(s);
    return r;
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    int ok = f && text && fputs(text, f) >= 0;

    if (f && fclose(f) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

/* The skeleton of scenario new loads with suite_load once its method and
 * path are filled in, and not before. */
static void test_shell_scenario_new_loads(void)
{
    const char *dir = work_dir("scaffold");
    const char *cat_path = t_path("%s/catalog/nce-errors.json", t_root());
    char *out = NULL, *err = NULL;
    struct ac_error e = AC_ERROR_INIT;
    struct catalog *cat = catalog_load(cat_path, &e);
    struct suite *s;

    T_TRUE(dir != NULL && cat != NULL);
    T_EQ_INT(t_run((char *const[]){(char *)apiconform(), (char *)"scenario", (char *)"new",
                                   (char *)"4040402", (char *)"--service", (char *)"04", NULL},
                   NULL, &out, &err),
             0);
    T_CONTAINS(out, "\"id\": \"no-such-loadbalancer\",\n");
    T_CONTAINS(out, "\"code\": 4040402,\n");
    T_CONTAINS(out, "\"title\": \"No such loadbalancer\",\n");
    T_CONTAINS(out, "\"class\": \"stateless\",\n");
    T_CONTAINS(err, "save it as suite/04/4040402.json");
    mkdir(t_path("%s/04", dir), 0755);
    /* Unfilled: the loader refuses it. */
    T_EQ_INT(write_file(t_path("%s/04/4040402.json", dir), out), 0);
    s = suite_load(dir, cat, &e);
    T_TRUE(s == NULL);
    T_CONTAINS(e.text, "scenarios[0].request.");
    suite_free(s);
    /* Filled: it loads, one scenario of that code. */
    out = replace(out, "TODO: GET, POST, PUT, DELETE, PATCH, HEAD or OPTIONS", "GET");
    out = replace(out, "TODO: /api/v1/... that makes the target answer this code",
                  "/api/v1/nlb/loadbalancers/cf-no-such-lb-${run}");
    T_EQ_INT(write_file(t_path("%s/04/4040402.json", dir), out), 0);
    memset(&e, 0, sizeof e);
    s = suite_load(dir, cat, &e);
    T_TRUE(s != NULL);
    if (!s)
        fprintf(stderr, "suite_load: %s: %s\n", e.where, e.text);
    T_EQ_INT(s ? suite_count(s) : 0, 1);
    suite_free(s);
    free(out);
    free(err);
    catalog_free(cat);
}

/* Unknown code and wrong service: exit 2 naming them; -o never overwrites. */
static void test_shell_scenario_new_errors(void)
{
    const char *dir = work_dir("scaffold-errors");
    const char *path = t_path("%s/4040402.json", dir);
    char *out = NULL, *err = NULL, *text;

    T_EQ_INT(t_run((char *const[]){(char *)apiconform(), (char *)"scenario", (char *)"new",
                                   (char *)"4040499", NULL},
                   NULL, &out, &err),
             2);
    T_CONTAINS(err, "scenario new: code 4040499 is not in the catalog");
    T_EQ_STR(out, "");
    free(out);
    free(err);
    T_EQ_INT(t_run((char *const[]){(char *)apiconform(), (char *)"scenario", (char *)"new",
                                   (char *)"4040402", (char *)"--service", (char *)"3", NULL},
                   NULL, NULL, &err),
             2);
    T_CONTAINS(err, "scenario new: code 4040402 belongs to service 04, not 03");
    free(err);
    T_EQ_INT(t_run((char *const[]){(char *)apiconform(), (char *)"scenario", (char *)"new",
                                   (char *)"4040402", (char *)"-o", (char *)path, NULL},
                   NULL, &out, NULL),
             0);
    T_EQ_STR(out, "");
    free(out);
    text = t_read_file(path, NULL);
    T_CONTAINS(text, "\"code\": 4040402,");
    free(text);
    T_EQ_INT(write_file(path, "mine\n"), 0);
    T_EQ_INT(t_run((char *const[]){(char *)apiconform(), (char *)"scenario", (char *)"new",
                                   (char *)"4040402", (char *)"-o", (char *)path, NULL},
                   NULL, NULL, &err),
             2);
    T_CONTAINS(err, "already exists (not overwritten)");
    free(err);
    text = t_read_file(path, NULL);
    T_EQ_STR(text, "mine\n");
    free(text);
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("the shell: colour, completions, scaffold", NULL, NULL);

    if (!s ||
        !CU_add_test(s, "colour on a terminal, NO_COLOR, TERM=dumb, --color", test_shell_colour) ||
        !CU_add_test(s, "--color: diff's labels, a bad value", test_shell_colour_diff_and_usage) ||
        !CU_add_test(s, "completions cover every option",
                     test_shell_completion_covers_every_option) ||
        !CU_add_test(s, "completions parse and complete", test_shell_completion_works) ||
        !CU_add_test(s, "scenario new: the skeleton loads once filled",
                     test_shell_scenario_new_loads) ||
        !CU_add_test(s, "scenario new: unknown code, existing -o file",
                     test_shell_scenario_new_errors))
        return -1;
    return 0;
}
