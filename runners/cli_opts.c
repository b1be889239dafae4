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
