/* runners/cli_color.c -- see cli_color.h. */
#include "cli_color.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cli_color_parse(const char *cmd, const char *value, enum cli_color_mode *mode)
{
    if (strcmp(value, "auto") == 0)
        *mode = CLI_COLOR_AUTO;
    else if (strcmp(value, "always") == 0)
        *mode = CLI_COLOR_ALWAYS;
    else if (strcmp(value, "never") == 0)
        *mode = CLI_COLOR_NEVER;
    else
        return cli_usage_error("%s: --color: expected auto, always or never, got '%s'", cmd, value);
    return 0;
}

int cli_color_on(enum cli_color_mode mode, FILE *f)
{
    const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");

    if (mode != CLI_COLOR_AUTO)
        return mode == CLI_COLOR_ALWAYS;
    /* An explicit --color always overrides NO_COLOR, as no-color.org
     * allows; auto honours it and a terminal that says it cannot. */
    if (no_color && *no_color)
        return 0;
    if (term && strcmp(term, "dumb") == 0)
        return 0;
    return isatty(fileno(f));
}

void cli_color_put(FILE *f, int on, const char *sgr, const char *text)
{
    if (on)
        fprintf(f, "\033[%sm%s\033[0m", sgr, text);
    else
        fputs(text, f);
}
