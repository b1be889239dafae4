/* runners/cli_opts.c -- see cli_opts.h. */
#include "cli_opts.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include <string.h>
#include <unistd.h>

#include "../catalog/catalog.h"
#include "../common/ac.h"
#include "../suite/suite.h"
#include "cli.h"

const char *cli_default_suite_dir(void)
{
    static char dir[4096];
    const char *f = ac_data_path("suite/fixtures.json", "suite/fixtures.json");

    snprintf(dir, sizeof dir, "%.*s", (int)(strlen(f) - strlen("/fixtures.json")), f);
    return dir;
}

void cli_opts_build(const struct cli_opt *t, size_t n, struct option *longopts, char *shortopts)
{
    size_t i, k = 0;

    opterr = 0;
    shortopts[k++] = ':';
    for (i = 0; i < n; i++) {
        longopts[i].name = t[i].name;
        longopts[i].has_arg = t[i].has_arg;
        longopts[i].flag = NULL;
        longopts[i].val = t[i].val;
        if (t[i].val > 0 && t[i].val < 256) {
            shortopts[k++] = (char)t[i].val;
            if (t[i].has_arg == required_argument)
                shortopts[k++] = ':';
        }
    }
    memset(&longopts[n], 0, sizeof longopts[n]);
    shortopts[k] = '\0';
}

void cli_opts_help(FILE *f, const struct cli_opt *t, size_t n)
{
    char left[64];
    size_t i;

    for (i = 0; i < n; i++) {
        if (t[i].val > 0 && t[i].val < 256)
            snprintf(left, sizeof left, "-%c, --%s%s%s", t[i].val, t[i].name, t[i].arg ? " " : "",
                     t[i].arg ? t[i].arg : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", t[i].name, t[i].arg ? " " : "",
                     t[i].arg ? t[i].arg : "");
        fprintf(f, "  %-28s %s\n", left, t[i].help);
    }
}

int cli_opts_error(const char *cmd, int opt, char **argv, const struct cli_opt *t, size_t n)
{
    const char *arg = optind > 0 ? argv[optind - 1] : "";
    const struct cli_opt *row = NULL;
    char name[80];
    size_t i, len, best = (size_t)-1;
    const char *nearest = NULL;

    for (i = 0; optopt && i < n; i++)
        if (t[i].val == optopt)
            row = &t[i];
    if (opt == ':' && row)
        return cli_usage_error("%s: --%s needs a value (%s)", cmd, row->name,
                               row->arg ? row->arg : "a value");
    if (opt == ':')
        return cli_usage_error("%s: -%c needs a value", cmd, optopt);
    if (row && row->has_arg == no_argument && strchr(arg, '='))
        return cli_usage_error("%s: --%s takes no value", cmd, row->name);
    if (strncmp(arg, "--", 2) != 0) {
        if (optopt > 0 && optopt < 256)
            return cli_usage_error("%s: unknown option '-%c'", cmd, optopt);
        return cli_usage_error("%s: unknown option '%s'", cmd, arg);
    }
    len = strcspn(arg + 2, "=");
    snprintf(name, sizeof name, "%.*s", (int)(len < 64 ? len : 64), arg + 2);
    for (i = 0; i < n; i++) {
        size_t d = ac_edit_distance(name, t[i].name);
        if (d < best) {
            best = d;
            nearest = t[i].name;
        }
        /* getopt_long takes unambiguous prefixes; an ambiguous one lands
         * here too, and the first match is a fair suggestion. */
        if (len && strncmp(t[i].name, name, len) == 0 && best > 1) {
            best = 1;
            nearest = t[i].name;
        }
    }
    if (nearest && best <= (len / 3 > 2 ? len / 3 : 2))
        return cli_usage_error("%s: unknown option '--%s' (did you mean --%s?)", cmd, name,
                               nearest);
    return cli_usage_error("%s: unknown option '--%s'", cmd, name);
}

int cli_run_id_valid(const char *s)
{
    size_t i;

    if (!s || !(s[0] >= 'a' && s[0] <= 'z'))
        return 0;
    for (i = 1; s[i]; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
            return 0;
    return i <= 10;
}

int cli_base_url_check(const char *url)
{
    const char *host, *end, *port;
    size_t i, n;

    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
        /* The rest of what was given may hold a password: show the scheme. */
        const char *sep = strstr(url, "://");
        if (sep)
            return cli_usage_error("--base-url: expected an http:// or https:// URL, got "
                                   "'%.*s://...'",
                                   (int)(sep - url < 16 ? sep - url : 16), url);
        return cli_usage_error("--base-url: expected an http:// or https:// URL");
    }
    host = strstr(url, "://") + 3;
    end = host + strcspn(host, "/?#");
    if (memchr(host, '@', (size_t)(end - host)))
        return cli_usage_error("--base-url: a user name or password in the URL is not accepted "
                               "(it would be written to every report); give the credentials "
                               "with --app-key-env and --app-secret-env, or --token-env");
    if (strpbrk(url, "?#"))
        return cli_usage_error("--base-url: a query ('?...') or fragment ('#...') is not "
                               "accepted: the base URL is http(s)://HOST[:PORT][/PATH]");
    for (i = 0; url[i]; i++)
        if ((unsigned char)url[i] <= 0x20 || (unsigned char)url[i] == 0x7f)
            return cli_usage_error("--base-url: a space or control character at byte %zu", i);
    /* An IPv6 literal is bracketed: its colons are not the port's. */
    port = host[0] == '[' ? memchr(host, ']', (size_t)(end - host)) : host;
    port = port ? memchr(port, ':', (size_t)(end - port)) : NULL;
    if (end == host || host[0] == ':' || (host[0] == '[' && host + 2 >= (port ? port : end)))
        return cli_usage_error("--base-url: the host is missing in '%s'", url);
    if (port) {
        long v = 0;
        n = (size_t)(end - port - 1);
        for (i = 0; i < n && i < 6 && port[1 + i] >= '0' && port[1 + i] <= '9'; i++)
            v = v * 10 + (port[1 + i] - '0');
        if (n == 0 || i != n || v < 1 || v > 65535)
            return cli_usage_error("--base-url: the port in '%s' is not a number from 1 to "
                                   "65535",
                                   url);
    }
    return 0;
}

struct catalog *cli_load_catalog(const char *given, struct ac_error *err)
{
    const char *path = given ? given : catalog_default_path();

    if (!given && access(path, R_OK) != 0) {
        ac_error_set(err, AC_ERR_USAGE, NULL,
                     "the shipped catalog is not at %s (is the program installed with its "
                     "data?): give one with --catalog FILE",
                     path);
        return NULL;
    }
    return catalog_load(path, err);
}

struct suite *cli_load_suite(const char *given, const struct catalog *cat, struct ac_error *err)
{
    const char *dir = given ? given : cli_default_suite_dir();

    if (!given && access(dir, R_OK) != 0) {
        ac_error_set(err, AC_ERR_USAGE, NULL,
                     "the shipped suite is not at %s (is the program installed with its "
                     "data?): give one with --suite DIR",
                     dir);
        return NULL;
    }
    return suite_load(dir, cat, err);
}

int cli_quota_arg(const char *arg, long *quotas)
{
    const char *eq = strchr(arg, '=');
    char name[64], *end;
    int qi = -1;
    long v;

    if (eq && (size_t)(eq - arg) < sizeof name) {
        snprintf(name, sizeof name, "%.*s", (int)(eq - arg), arg);
        qi = suite_quota_index(name);
    }
    if (qi < 0)
        return cli_usage_error("--quota: expected NAME=N with NAME one of apiconform-ref --quota "
                               "help, got '%s'",
                               arg);
    errno = 0;
    v = strtol(eq + 1, &end, 10);
    if (!eq[1] || *end || errno || v < 0 || v > 100000000 || !isdigit((unsigned char)eq[1]))
        return cli_usage_error("--quota %s: expected a number 0-100000000, got '%s'", name, eq + 1);
    quotas[qi] = v;
    return 0;
}
