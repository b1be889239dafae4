/* runners/cli_opts.c -- see cli_opts.h. */
#include "cli_opts.h"

#include <string.h>

#include "../common/ac.h"
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
            snprintf(left, sizeof left, "-%c, --%s%s%s", t[i].val, t[i].name,
                     t[i].arg ? " " : "", t[i].arg ? t[i].arg : "");
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
