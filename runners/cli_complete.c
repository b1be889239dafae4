/* runners/cli_complete.c -- apiconform completion bash|zsh: shell
 * completion scripts generated from the subcommands' option tables, so an
 * option cannot be added without its completion. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "cli_opts.h"

static const struct cli_opt completion_opts[] = {
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};

const struct cli_opt *cli_completion_options(size_t *n)
{
    *n = sizeof completion_opts / sizeof completion_opts[0];
    return completion_opts;
}

/* What a subcommand takes besides options. */
enum operands { OPERANDS_NONE, OPERANDS_FILES };

struct command {
    const char *name;
    const char *about; /* one line, for zsh */
    const struct cli_opt *(*opts)(size_t *n);
    const char *actions;    /* words its first operand is one of, or NULL */
    enum operands operands; /* what follows (the action) */
};

static const struct command commands[] = {
    {"run", "send the suite to a target and check the answers", cli_run_options, NULL,
     OPERANDS_NONE},
    {"coverage", "which catalog codes the suite provokes", cli_coverage_options, NULL,
     OPERANDS_NONE},
    {"report", "rebuild reports from a results file", cli_report_options, NULL, OPERANDS_NONE},
    {"merge", "merge the results of shards", cli_merge_options, NULL, OPERANDS_FILES},
    {"diff", "new failures, fixed, still failing", cli_diff_options, NULL, OPERANDS_FILES},
    {"baseline", "a baseline of a run's failures", cli_baseline_options, "create", OPERANDS_FILES},
    {"check", "judge the error answers recorded in HAR files", cli_check_options, NULL,
     OPERANDS_FILES},
    {"proxy", "judge live traffic on its way to a target", cli_proxy_options, NULL, OPERANDS_NONE},
    {"doctor", "is a deployment ready for a run (profile)", cli_doctor_options, NULL,
     OPERANDS_NONE},
    {"sweep", "delete what interrupted runs left behind", cli_sweep_options, NULL, OPERANDS_NONE},
    {"catalog", "inspect, check or import the code catalog", cli_catalog_options,
     "list show lint import", OPERANDS_FILES},
    {"scenario", "write the skeleton of a new scenario", cli_scenario_options, "new",
     OPERANDS_NONE},
    {"completion", "print a shell completion script", cli_completion_options, "bash zsh",
     OPERANDS_NONE},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* The fixed values of an option, when it has them. */
struct values {
    const char *cmd; /* NULL: every subcommand with the option */
    const char *opt;
    const char *words;
    int list; /* a comma-separated list of them */
};

static const struct values fixed[] = {
    {"run", "class", "stateless stateful limit fault", 0},
    {"run", "allow", "destructive limit fault all account:", 1},
    {"run", "message-match", "exact normalized ignore", 0},
    {"run", "format", "text json", 0},
    {"coverage", "format", "text json", 0},
    {"catalog", "format", "text json tsv", 0},
    {"scenario", "class", "stateless stateful limit fault", 0},
    {NULL, "color", "auto always never", 0},
};

/* The check names, for --skip-check. Static buffer. */
static const char *check_names(void)
{
    static char buf[512];
    size_t len = 0;
    int i;

    buf[0] = '\0';
    for (i = 0; i < CHECK_COUNT; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? " " : "",
                                check_name((enum check_id)i));
    return buf;
}

static const struct values *values_of(const char *cmd, const char *opt)
{
    static struct values checks;
    size_t i;

    for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if ((!fixed[i].cmd || strcmp(fixed[i].cmd, cmd) == 0) && strcmp(fixed[i].opt, opt) == 0)
            return &fixed[i];
    if (strcmp(cmd, "run") == 0 && strcmp(opt, "skip-check") == 0) {
        checks.cmd = cmd;
        checks.opt = opt;
        checks.words = check_names();
        checks.list = 0;
        return &checks;
    }
    return NULL;
}

static int is_file_arg(const struct cli_opt *o)
{
    return o->arg && strcmp(o->arg, "FILE") == 0;
}

static int is_dir_arg(const struct cli_opt *o)
{
    return o->arg && strcmp(o->arg, "DIR") == 0;
}

/* The name of an environment variable (--token-env VAR). */
static int is_var_arg(const struct cli_opt *o)
{
    return o->arg && strcmp(o->arg, "VAR") == 0;
}

/* Prints "--name" and, with a short letter, "|-x" (a bash case pattern). */
static void bash_pattern(const struct cli_opt *o)
{
    printf("--%s", o->name);
    if (o->val > 0 && o->val < 256)
        printf("|-%c", o->val);
}

static void bash_command(const struct command *c)
{
    size_t n, i;
    const struct cli_opt *t = c->opts(&n);

    printf("    %s)\n        opts='", c->name);
    for (i = 0; i < n; i++) {
        printf("%s--%s", i ? " " : "", t[i].name);
        if (t[i].val > 0 && t[i].val < 256)
            printf(" -%c", t[i].val);
    }
    printf("'\n        actions='%s'\n        operands='%s'\n", c->actions ? c->actions : "",
           c->operands == OPERANDS_FILES ? "files" : "");
    printf("        case $prev in\n");
    for (i = 0; i < n; i++) {
        const struct values *v = values_of(c->name, t[i].name);
        if (t[i].has_arg != required_argument)
            continue;
        printf("        ");
        bash_pattern(&t[i]);
        if (v)
            printf(") _apiconform_%s '%s'; return ;;\n", v->list ? "list" : "words", v->words);
        else if (is_file_arg(&t[i]))
            printf(") _apiconform_files; return ;;\n");
        else if (is_dir_arg(&t[i]))
            printf(") _apiconform_dirs; return ;;\n");
        else if (is_var_arg(&t[i]))
            printf(") COMPREPLY=($(compgen -v -- \"$cur\")); return ;;\n");
        else
            printf(") return ;; # %s\n", t[i].arg ? t[i].arg : "a value");
    }
    printf("        esac\n        ;;\n");
}

static void print_bash(void)
{
    size_t i;

    printf("# bash completion for apiconform -- generated by 'apiconform completion bash'\n"
           "# from the option tables of the program; do not edit.\n"
           "# Install: share/bash-completion/completions/apiconform, or source it.\n"
           "\n"
           "_apiconform_words() {\n"
           "    COMPREPLY=($(compgen -W \"$1\" -- \"$cur\"))\n"
           "}\n"
           "\n"
           "# A comma-separated list: complete the element after the last comma.\n"
           "_apiconform_list() {\n"
           "    local head=\n"
           "    case $cur in *,*) head=${cur%%,*}, ;; esac\n"
           "    COMPREPLY=($(compgen -P \"$head\" -W \"$1\" -- \"${cur##*,}\"))\n"
           "    compopt -o nospace 2>/dev/null\n"
           "}\n"
           "\n"
           "_apiconform_files() {\n"
           "    compopt -o filenames 2>/dev/null\n"
           "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
           "}\n"
           "\n"
           "_apiconform_dirs() {\n"
           "    compopt -o filenames 2>/dev/null\n"
           "    COMPREPLY=($(compgen -d -- \"$cur\"))\n"
           "}\n"
           "\n"
           "_apiconform() {\n"
           "    local cur=${COMP_WORDS[COMP_CWORD]} prev= opts= actions= operands=\n"
           "    COMPREPLY=()\n"
           "    [ \"$COMP_CWORD\" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
           "    # --opt=value: bash splits at '=' (COMP_WORDBREAKS).\n"
           "    if [ \"$cur\" = = ]; then\n"
           "        prev=${COMP_WORDS[COMP_CWORD-1]} cur=\n"
           "    elif [ \"$prev\" = = ] && [ \"$COMP_CWORD\" -gt 1 ]; then\n"
           "        prev=${COMP_WORDS[COMP_CWORD-2]}\n"
           "    fi\n"
           "    if [ \"$COMP_CWORD\" -le 1 ]; then\n"
           "        _apiconform_words '");
    for (i = 0; i < NCOMMANDS; i++)
        printf("%s ", commands[i].name);
    printf("--help --version'\n"
           "        return\n"
           "    fi\n"
           "    case ${COMP_WORDS[1]} in\n");
    for (i = 0; i < NCOMMANDS; i++)
        bash_command(&commands[i]);
    printf("    *) return ;;\n"
           "    esac\n"
           "    if [[ $cur == -* ]]; then\n"
           "        _apiconform_words \"$opts\"\n"
           "    elif [ -n \"$actions\" ] && [ \"$COMP_CWORD\" -eq 2 ]; then\n"
           "        _apiconform_words \"$actions\"\n"
           "    elif [ \"$operands\" = files ]; then\n"
           "        _apiconform_files\n"
           "    fi\n"
           "}\n"
           "complete -F _apiconform apiconform\n");
}

/* Writes s for a zsh _arguments spec inside single quotes: the quote
 * closed and reopened around a ', and ':', '[', ']' and '\' escaped, as
 * _arguments reads them. */
static void zsh_put(const char *s)
{
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", stdout);
        else if (*s == ':' || *s == '[' || *s == ']' || *s == '\\')
            printf("\\%c", *s);
        else
            putchar(*s);
    }
}

static void zsh_option(const char *cmd, const struct cli_opt *o, const char *spelling)
{
    const struct values *v = values_of(cmd, o->name);

    printf("            '%s", spelling);
    if (o->has_arg == required_argument && spelling[1] == '-')
        putchar('=');
    putchar('[');
    zsh_put(o->help);
    putchar(']');
    if (o->has_arg == required_argument) {
        putchar(':');
        zsh_put(o->arg ? o->arg : "value");
        putchar(':');
        if (v && v->list)
            printf("_sequence compadd - %s", v->words);
        else if (v)
            printf("(%s)", v->words);
        else if (is_file_arg(o))
            fputs("_files", stdout);
        else if (is_dir_arg(o))
            fputs("_files -/", stdout);
        else if (is_var_arg(o))
            fputs("_parameters", stdout);
        else
            putchar(' ');
    }
    fputs("' \\\n", stdout);
}

static void zsh_command(const struct command *c)
{
    size_t n, i;
    const struct cli_opt *t = c->opts(&n);
    char spelling[80];

    printf("    %s)\n        _arguments -s -S \\\n", c->name);
    for (i = 0; i < n; i++) {
        snprintf(spelling, sizeof spelling, "--%s", t[i].name);
        zsh_option(c->name, &t[i], spelling);
        if (t[i].val > 0 && t[i].val < 256) {
            snprintf(spelling, sizeof spelling, "-%c", t[i].val);
            zsh_option(c->name, &t[i], spelling);
        }
    }
    if (c->actions)
        printf("            '1:action:(%s)' \\\n", c->actions);
    if (c->operands == OPERANDS_FILES)
        printf("            '*:file:_files' \\\n");
    printf("        ;;\n");
}

static void print_zsh(void)
{
    size_t i;

    printf("#compdef apiconform\n"
           "# zsh completion for apiconform -- generated by 'apiconform completion zsh'\n"
           "# from the option tables of the program; do not edit.\n"
           "# Install: share/zsh/site-functions/_apiconform (a directory in $fpath).\n"
           "\n"
           "_apiconform() {\n"
           "    local -a commands\n"
           "    commands=(\n");
    for (i = 0; i < NCOMMANDS; i++) {
        printf("        '%s:", commands[i].name);
        zsh_put(commands[i].about);
        printf("'\n");
    }
    printf("    )\n"
           "    if (( CURRENT == 2 )); then\n"
           "        _describe -t commands 'apiconform command' commands\n"
           "        return\n"
           "    fi\n"
           "    local cmd=${words[2]}\n"
           "    shift words\n"
           "    (( CURRENT-- ))\n"
           "    case $cmd in\n");
    for (i = 0; i < NCOMMANDS; i++)
        zsh_command(&commands[i]);
    printf("    esac\n"
           "}\n"
           "\n"
           "if [ \"$funcstack[1]\" = _apiconform ]; then\n"
           "    _apiconform \"$@\"\n"
           "else\n"
           "    compdef _apiconform apiconform\n"
           "fi\n");
}

int cli_completion(int argc, char **argv)
{
    size_t n;

    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        fputs("Usage: apiconform completion bash|zsh\n"
              "Print a completion script for the shell, generated from the options of\n"
              "every subcommand. make install puts them where bash-completion and zsh\n"
              "look; to try one: source <(apiconform completion bash).\n"
              "\nOptions:\n",
              stdout);
        cli_opts_help(stdout, cli_completion_options(&n), 1);
        return CLI_EXIT_OK;
    }
    if (argc != 2)
        return cli_usage_error("completion: expected bash or zsh");
    if (strcmp(argv[1], "bash") == 0)
        print_bash();
    else if (strcmp(argv[1], "zsh") == 0)
        print_zsh();
    else
        return cli_usage_error("completion: unknown shell '%s' (expected bash or zsh)", argv[1]);
    return CLI_EXIT_OK;
}
