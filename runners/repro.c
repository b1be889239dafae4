/* runners/repro.c -- reproducer scripts (see engine.h, engine_script_*).
 *
 * A script is plain sh: it needs curl, sed and, to read the values a step
 * captures from its answer, jq (without jq a failure's script uses the
 * values its run captured, and says so). The requests are built by the
 * engine from the same steps with placeholders where a value is known only
 * when the script runs, so nothing the target sent is ever part of the
 * script's code: a value the run captured appears only as a single-quoted
 * fallback, and values read at run time only inside double quotes. */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void quote(struct ac_buf *b, const char *s)
{
    ac_buf_addc(b, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            ac_buf_adds(b, "'\\''");
        else
            ac_buf_addc(b, *s);
    }
    ac_buf_addc(b, '\'');
}

/* Text for a comment line: control bytes (a newline would end the comment
 * and start a command) shown as '?'. */
static void comment_text(struct ac_buf *b, const char *s)
{
    for (; *s; s++)
        ac_buf_addc(b, (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
}

void engine_script_comment(struct ac_buf *out, const char *prefix, const char *text)
{
    ac_buf_adds(out, "# ");
    ac_buf_adds(out, prefix);
    comment_text(out, text ? text : "");
    ac_buf_addc(out, '\n');
}

/* The sh printf format of the contract's token body: the template with
 * ${app_key} and ${app_secret} as %s (in the order of *order: 'k' or 's'
 * for each, at most 15), '%' and '\\' escaped for printf. */
static void body_format(struct ac_buf *f, const char *tpl, char *order, size_t order_size)
{
    size_t n = 0;

    for (; *tpl; tpl++) {
        if (strncmp(tpl, "${app_key}", 10) == 0 || strncmp(tpl, "${app_secret}", 13) == 0) {
            int key = tpl[6] == 'k';
            if (n + 1 < order_size)
                order[n++] = key ? 'k' : 's';
            ac_buf_adds(f, "%s");
            tpl += key ? 9 : 12;
        } else if (*tpl == '%') {
            ac_buf_adds(f, "%%");
        } else if (*tpl == '\\') {
            ac_buf_adds(f, "\\\\");
        } else {
            ac_buf_addc(f, *tpl);
        }
    }
    order[n] = '\0';
}

/* The name a one-level token pointer ("/token") names, when it is plain
 * enough for the sed fallback (letters, digits, '_'); else NULL. */
static const char *plain_member(const char *pointer)
{
    const char *p;

    if (pointer[0] != '/' || !pointer[1])
        return NULL;
    for (p = pointer + 1; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_'))
            return NULL;
    return pointer + 1;
}

/* Obtains $APICONFORM_TOKEN as the contract says (its token endpoint,
 * body template and token pointer) when it is not set. The key and
 * secret are read from the environment when the script runs and JSON
 * escaped; the answer is not printed (it holds the token). */
static void token_request(struct ac_buf *out, const struct contract *k)
{
    struct ac_buf f = AC_BUF_INIT, what = AC_BUF_INIT;
    const char *member = plain_member(k->token_pointer);
    char order[16];
    size_t i;

    ac_buf_addf(&what, "%s %s", k->token.method, k->token.path);
    ac_buf_adds(out,
                "if [ -z \"${APICONFORM_TOKEN:-}\" ]; then\n"
                "    : \"${APICONFORM_APP_KEY:?set APICONFORM_TOKEN, or APICONFORM_APP_KEY and "
                "APICONFORM_APP_SECRET}\"\n"
                "    : \"${APICONFORM_APP_SECRET:?set APICONFORM_TOKEN, or APICONFORM_APP_KEY and "
                "APICONFORM_APP_SECRET}\"\n"
                "    ac_jstr() { printf '%s' \"$1\" | sed 's/[\\\\\"]/\\\\&/g'; }\n"
                "    ac_label=token\n");
    if (k->token_body) {
        body_format(&f, k->token_body, order, sizeof order);
        ac_buf_adds(out, "    ac_req=$(printf ");
        quote(out, f.data ? f.data : "");
        for (i = 0; order[i]; i++)
            ac_buf_adds(out, order[i] == 'k' ? " \"$(ac_jstr \"$APICONFORM_APP_KEY\")\""
                                             : " \"$(ac_jstr \"$APICONFORM_APP_SECRET\")\"");
        ac_buf_adds(out, ")\n");
    }
    ac_buf_adds(out, "    ac_status=$(curl -sS --max-time \"${APICONFORM_MAX_TIME:-30}\" -o "
                     "\"$ac_tmp/b\" -w '%{http_code}' -X ");
    quote(out, k->token.method);
    ac_buf_adds(out, " \"$ac_base\"");
    quote(out, k->token.path);
    if (k->token_body)
        ac_buf_adds(out, " -H 'Content-Type: application/json' --data-raw \"$ac_req\"");
    ac_buf_adds(out, ") || ac_status=000\n"
                     "    APICONFORM_TOKEN=\n"
                     "    if command -v jq >/dev/null 2>&1; then\n"
                     "        APICONFORM_TOKEN=$(ac_get ");
    quote(out, k->token_pointer);
    ac_buf_adds(out, " 2>/dev/null) && APICONFORM_TOKEN=$(ac_raw \"$APICONFORM_TOKEN\") ||\n"
                     "            APICONFORM_TOKEN=\n");
    if (member)
        ac_buf_addf(out,
                    "    else\n"
                    "        APICONFORM_TOKEN=$(sed -n "
                    "'s/.*\"%s\"[[:space:]]*:[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p' "
                    "\"$ac_tmp/b\")\n",
                    member);
    else
        ac_buf_adds(out, "    else\n"
                         "        echo 'reading the token from the answer needs jq' >&2\n");
    ac_buf_adds(out, "    fi\n"
                     "    if [ -z \"$APICONFORM_TOKEN\" ]; then\n"
                     "        echo ");
    ac_buf_adds(&what, " answered ");
    quote(out, what.data ? what.data : "");
    ac_buf_adds(out, "\"$ac_status\"' with no token: check the key and secret'");
    ac_buf_adds(out, " >&2\n"
                     "        exit 2\n"
                     "    fi\n"
                     "fi\n");
    ac_buf_release(&f);
    ac_buf_release(&what);
}

int engine_script_prelude(const struct engine *e, struct ac_buf *out)
{
    const struct contract *k = contract_or_builtin(contract_active());

    ac_buf_adds(out, "set -eu\n"
                     "# Needs curl and sed; jq to read the values steps capture from answers.\n"
                     "# The token: $APICONFORM_TOKEN when set, else obtained with\n");
    ac_buf_addf(out, "# $APICONFORM_APP_KEY and $APICONFORM_APP_SECRET (%s ", k->token.method);
    comment_text(out, k->token.path);
    ac_buf_adds(out, ").\n"
                     "# A named account's token is $APICONFORM_TOKEN_<NAME>: set it to use one.\n"
                     "ac_base=");
    quote(out, engine_base_url(e));
    ac_buf_adds(
        out,
        "\n"
        "ac_tmp=$(mktemp -d)\n"
        "trap 'rm -rf \"$ac_tmp\"' EXIT\n"
        "ac_label=token\n"
        "ac_status=000\n"
        "# ac_send LABEL CURL-ARGS...: one request; prints the answer and its status.\n"
        "ac_send() {\n"
        "    ac_label=$1\n"
        "    shift\n"
        "    printf '\\n== %s\\n' \"$ac_label\"\n"
        "    ac_status=$(curl -sS --max-time \"${APICONFORM_MAX_TIME:-30}\" -D \"$ac_tmp/h\" \\\n"
        "        -o \"$ac_tmp/b\" -w '%{http_code}' -H 'Accept: application/json' \"$@\") ||\n"
        "        ac_status=000\n"
        "    tr -d '\\r' <\"$ac_tmp/h\" 2>/dev/null || :\n"
        "    cat \"$ac_tmp/b\" 2>/dev/null || :\n"
        "    printf '\\n%s: status %s\\n' \"$ac_label\" \"$ac_status\"\n"
        "}\n"
        "# ac_expect STATUSES: a setup step must answer one of them (\"\": any 2xx).\n"
        "ac_expect() {\n"
        "    case \" $1 \" in *\" $ac_status \"*) return 0 ;; esac\n"
        "    if [ -z \"$1\" ]; then case $ac_status in 2?\?) return 0 ;; esac; fi\n"
        "    printf '%s: answered %s, expected %s: stopping here (teardown follows)\\n' \\\n"
        "        \"$ac_label\" \"$ac_status\" \"${1:-2xx}\" >&2\n"
        "    exit 1\n"
        "}\n"
        "# ac_get POINTER [RUN-VALUE]: the JSON value at a JSON Pointer of the last\n"
        "# answer; without jq, the value the run captured.\n"
        "ac_get() {\n"
        "    if command -v jq >/dev/null 2>&1; then\n"
        "        ac_r=$(jq -c --arg p \"$1\" 'getpath(if $p == \"\" then [] else $p | "
        "ltrimstr(\"/\") | split(\"/\") | map(gsub(\"~1\"; \"/\") | gsub(\"~0\"; \"~\") | "
        "if test(\"^[0-9]+$\") then tonumber else . end) end)' \"$ac_tmp/b\" 2>/dev/null) || "
        "ac_r=\n"
        "        if [ -n \"$ac_r\" ] && [ \"$ac_r\" != null ]; then\n"
        "            printf '%s\\n' \"$ac_r\"\n"
        "            return 0\n"
        "        fi\n"
        "        printf '%s: %s is not in the answer\\n' \"$ac_label\" \"$1\" >&2\n"
        "        return 1\n"
        "    fi\n"
        "    if [ -n \"${2:-}\" ]; then\n"
        "        printf '%s: no jq: %s is the value the run captured, %s\\n' \"$ac_label\" "
        "\"$1\" \"$2\" >&2\n"
        "        printf '%s\\n' \"$2\"\n"
        "        return 0\n"
        "    fi\n"
        "    printf '%s: reading %s of the answer needs jq\\n' \"$ac_label\" \"$1\" >&2\n"
        "    return 1\n"
        "}\n"
        "# ac_raw JSON: a JSON string's text, other values as they are.\n"
        "ac_raw() {\n"
        "    case $1 in\n"
        "    \\\"*) if command -v jq >/dev/null 2>&1; then printf '%s' \"$1\" | jq -r .; "
        "else printf '%s' \"$1\" | sed 's/^\"//; s/\"$//'; fi ;;\n"
        "    *) printf '%s' \"$1\" ;;\n"
        "    esac\n"
        "}\n"
        "if ! command -v jq >/dev/null 2>&1; then\n"
        "    echo 'note: no jq: captured values are those of the run; ids of what this script "
        "creates may differ, and its teardown then misses them' >&2\n"
        "fi\n");
    token_request(out, k);
    return out->data ? 0 : -1;
}

/* One flattened step of a scenario. */
struct sstep {
    const struct step *st;
    enum exchange_phase phase;
    int number;
    const char *owner;
};

static int is_builtin(const char *name)
{
    return !strcmp(name, "run") || !strcmp(name, "uniq") || !strcmp(name, "app_key") ||
           !strcmp(name, "app_secret") || !strcmp(name, "i");
}

/* The label as the run prints it, the variables known before running
 * (${uniq}, ${run}) filled in, the others left as ${name}. */
static void label_of(struct ac_buf *b, const struct sstep *ss, const struct vars *ph)
{
    struct ac_buf l = AC_BUF_INIT;
    struct ac_error err = AC_ERROR_INIT;

    if (ss->phase == PHASE_PROBE)
        ac_buf_adds(b, "probe");
    else if (ss->owner)
        ac_buf_addf(b, "%s %s %d", ss->owner,
                    ss->phase == PHASE_FIXTURE_SETUP ? "setup" : "teardown", ss->number);
    else
        ac_buf_addf(b, "%s %d", engine_phase_name(ss->phase), ss->number);
    if (ss->st->label && suite_expand(ss->st->label, ph, &l, &err) == 0 && l.data)
        ac_buf_addf(b, " (%s)", l.data);
    else if (ss->st->label)
        ac_buf_addf(b, " (%s)", ss->st->label);
    ac_buf_release(&l);
}

/* The statuses a setup step accepts, "" for any 2xx. */
static void statuses(struct ac_buf *b, const struct step *st)
{
    size_t i;

    ac_buf_addc(b, '\'');
    for (i = 0; i < st->nstatuses; i++)
        ac_buf_addf(b, "%s%d", i ? " " : "", st->statuses[i]);
    ac_buf_addc(b, '\'');
}

static int emit_step(const struct engine *e, const struct sstep *ss, const struct vars *ph,
                     const struct vars *run, const char *indent, struct ac_buf *out)
{
    const struct step *st = ss->st;
    struct ac_buf label = AC_BUF_INIT, in = AC_BUF_INIT, guard = AC_BUF_INIT;
    char **names = NULL, *cmd = NULL;
    size_t n = 0, i, guards = 0;
    int rc = -1, loop = 0;
    const char *args;

    label_of(&label, ss, ph);
    if (!label.data || ac_buf_adds(&in, indent) < 0)
        goto out;
    ac_buf_adds(out, indent);
    engine_script_comment(out, "", label.data);
    if (ss->phase >= PHASE_TEARDOWN) {
        /* As the engine does: a teardown step whose variables were never
         * captured has nothing to delete. */
        if (suite_step_vars(st, &names, &n) < 0)
            goto out;
        for (i = 0; i < n; i++) {
            const char *nm = names[i];
            if (is_builtin(nm))
                continue;
            ac_buf_adds(&guard, guards++ ? " && " : "");
            if (st->for_each && !strcmp(nm, st->for_each))
                ac_buf_addf(&guard, "[ -n \"${%s_list:-}\" ]", nm);
            else
                ac_buf_addf(&guard, "[ -n \"${%s+x}\" ]", nm);
        }
        if (guards) {
            ac_buf_addf(out, "%sif %s; then\n", in.data, guard.data);
            ac_buf_adds(&in, "    ");
        }
    }
    if (st->for_each) {
        ac_buf_addf(out,
                    "%sfor ac_each in $%s_list; do\n%s    %s_json=$ac_each\n%s    %s=$(ac_raw "
                    "\"$ac_each\")\n",
                    in.data, st->for_each, in.data, st->for_each, in.data, st->for_each);
        ac_buf_adds(&in, "    ");
        loop = 1;
    } else if (st->repeat) {
        ac_buf_addf(out, "%si=1\n%swhile [ \"$i\" -le %d ]; do\n%s    i_json=$i\n", in.data,
                    in.data, st->repeat, in.data);
        ac_buf_adds(&in, "    ");
        loop = 2;
    } else if (st->retry) {
        ac_buf_addf(out, "%sac_n=0\n%swhile :; do\n%s    ac_n=$((ac_n + 1))\n", in.data, in.data,
                    in.data);
        ac_buf_adds(&in, "    ");
        loop = 3;
    }
    cmd = engine_script_curl(e, st, ph);
    if (!cmd) {
        ac_buf_addf(out, "%secho 'this step cannot be built as a script' >&2\n%sexit 2\n", in.data,
                    in.data);
    } else {
        args = cmd;
        if (!strncmp(args, "curl -sS -i", 11))
            args += 11;
        ac_buf_addf(out, "%sac_send ", in.data);
        quote(out, label.data);
        ac_buf_adds(out, args);
        ac_buf_addc(out, '\n');
    }
    if (loop == 2) {
        ac_buf_addf(out, "%scase $ac_status in 2?\?) ;; *) break ;; esac\n", in.data);
    } else if (!loop && (ss->phase == PHASE_SETUP || ss->phase == PHASE_FIXTURE_SETUP)) {
        /* As the engine does: an answer not accepted captures nothing. */
        ac_buf_addf(out, "%sac_expect ", in.data);
        statuses(out, st);
        ac_buf_addc(out, '\n');
    }
    for (i = 0; i < st->ncaptures; i++) {
        const char *nm = st->captures[i].name;
        json_t *was = run ? vars_get(run, nm) : NULL;
        char *wtext =
            was && !json_is_array(was) ? json_dumps(was, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
        ac_buf_addf(out, "%s# $%s: ", in.data, nm);
        comment_text(out, st->captures[i].value);
        ac_buf_adds(out, " of this answer");
        if (wtext) {
            ac_buf_adds(out, "; the run captured ");
            comment_text(out, wtext);
        }
        if (st->find_in) {
            /* Found by name in a list: the script takes what the run found. */
            ac_buf_adds(out, " (in the element of ");
            comment_text(out, st->find_in);
            ac_buf_adds(out, " whose ");
            comment_text(out, st->find_key);
            ac_buf_adds(out, " is ");
            comment_text(out, st->find_value);
            ac_buf_adds(out, ")\n");
            if (wtext) {
                ac_buf_addf(out, "%s%s_json=", in.data, nm);
                quote(out, wtext);
                ac_buf_addf(out, "; %s=$(ac_raw \"$%s_json\")\n", nm, nm);
            }
            free(wtext);
            continue;
        }
        ac_buf_addf(out, "\n%sif ac_v=$(ac_get ", in.data);
        quote(out, st->captures[i].value);
        if (wtext && loop != 2) {
            ac_buf_addc(out, ' ');
            quote(out, wtext);
        }
        if (loop == 2)
            ac_buf_addf(out, "); then %s_list=\"${%s_list:-} $ac_v\"; fi\n", nm, nm);
        else
            ac_buf_addf(out, "); then %s_json=$ac_v; %s=$(ac_raw \"$ac_v\"); fi\n", nm, nm);
        free(wtext);
    }
    if (loop == 2) {
        ac_buf_addf(out, "%si=$((i + 1))\n", in.data);
    } else if (loop == 3 && st->retry->until_status) {
        ac_buf_addf(out,
                    "%sif [ \"$ac_status\" = %d ] || [ \"$ac_n\" -ge %d ]; then break; fi\n%ssleep "
                    "%d.%03d 2>/dev/null || sleep %d\n",
                    in.data, st->retry->until_status, st->retry->attempts, in.data,
                    st->retry->interval_ms / 1000, st->retry->interval_ms % 1000,
                    (st->retry->interval_ms + 999) / 1000);
    } else if (loop == 3) {
        char *eq = json_dumps(st->retry->equals, JSON_COMPACT | JSON_ENCODE_ANY);
        /* Without jq the answer cannot be read: one attempt. */
        ac_buf_addf(out, "%scommand -v jq >/dev/null 2>&1 || break\n%sif [ \"$(ac_get ", in.data,
                    in.data);
        quote(out, st->retry->pointer);
        ac_buf_adds(out, " 2>/dev/null || :)\" = ");
        quote(out, eq ? eq : "");
        /* POSIX sleep takes whole seconds; most take fractions. */
        ac_buf_addf(out,
                    " ] || [ \"$ac_n\" -ge %d ]; then break; fi\n%ssleep %d.%03d 2>/dev/null || "
                    "sleep %d\n",
                    st->retry->attempts, in.data, st->retry->interval_ms / 1000,
                    st->retry->interval_ms % 1000, (st->retry->interval_ms + 999) / 1000);
        free(eq);
    }
    if (loop) {
        in.len -= 4;
        in.data[in.len] = '\0';
        ac_buf_addf(out, "%sdone\n", in.data);
    }
    if (loop && (ss->phase == PHASE_SETUP || ss->phase == PHASE_FIXTURE_SETUP)) {
        ac_buf_addf(out, "%sac_expect ", in.data);
        statuses(out, st);
        ac_buf_addc(out, '\n');
    }
    if (guards)
        ac_buf_addf(out, "%.*sfi\n", (int)strlen(indent), indent);
    rc = out->data ? 0 : -1;
out:
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(cmd);
    ac_buf_release(&label);
    ac_buf_release(&in);
    ac_buf_release(&guard);
    return rc;
}

static int add_placeholders(struct vars *ph, const struct step *st)
{
    char **names = NULL;
    size_t n = 0, i;
    int rc = suite_step_vars(st, &names, &n);

    for (i = 0; i < n; i++) {
        if (rc == 0 && !vars_get(ph, names[i])) {
            struct ac_buf b = AC_BUF_INIT;
            if (ac_buf_addf(&b, "${%s}", names[i]) < 0 || vars_set_str(ph, names[i], b.data) < 0)
                rc = -1;
            ac_buf_release(&b);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int engine_script_scenario(const struct engine *e, const struct suite *s, const struct scenario *sc,
                           size_t index, const struct vars *run, struct ac_buf *out)
{
    struct vars *ph = engine_script_vars(e, index);
    struct sstep *steps = NULL;
    size_t ns = 0, i, k, f, teardown_at;
    int rc = -1;

    if (!ph)
        goto out;
    {
        size_t total = 1 + sc->nsetup + sc->nteardown;
        for (f = 0; f < sc->nfixtures; f++) {
            const struct fixture *fx = suite_fixture(s, sc->fixtures[f]);
            total += fx ? fx->nsetup + fx->nteardown : 0;
        }
        steps = calloc(total, sizeof *steps);
    }
    if (!steps)
        goto out;
#define PUSH(S, PH, NUM, OWNER)                                                                    \
    do {                                                                                           \
        steps[ns].st = (S);                                                                        \
        steps[ns].phase = (PH);                                                                    \
        steps[ns].number = (NUM);                                                                  \
        steps[ns].owner = (OWNER);                                                                 \
        ns++;                                                                                      \
    } while (0)
    for (f = 0; f < sc->nfixtures; f++) {
        const struct fixture *fx = suite_fixture(s, sc->fixtures[f]);
        for (k = 0; fx && k < fx->nsetup; k++)
            PUSH(&fx->setup[k], PHASE_FIXTURE_SETUP, (int)k + 1, fx->name);
    }
    for (k = 0; k < sc->nsetup; k++)
        PUSH(&sc->setup[k], PHASE_SETUP, (int)k + 1, NULL);
    PUSH(&sc->request, PHASE_PROBE, 1, NULL);
    teardown_at = ns;
    for (k = 0; k < sc->nteardown; k++)
        PUSH(&sc->teardown[k], PHASE_TEARDOWN, (int)k + 1, NULL);
    for (f = sc->nfixtures; f-- > 0;) {
        const struct fixture *fx = suite_fixture(s, sc->fixtures[f]);
        for (k = 0; fx && k < fx->nteardown; k++)
            PUSH(&fx->teardown[k], PHASE_FIXTURE_TEARDOWN, (int)k + 1, fx->name);
    }
#undef PUSH
    for (i = 0; i < ns; i++)
        if (add_placeholders(ph, steps[i].st) < 0)
            goto out;
    ac_buf_addf(out, "\n# ---- %ld %s: ", sc->code, sc->id);
    comment_text(out, sc->title);
    ac_buf_addc(out, '\n');
    ac_buf_adds(out, "(\n    ac_teardown() {\n        set +e\n");
    for (i = teardown_at; i < ns; i++)
        if (emit_step(e, &steps[i], ph, run, "        ", out) < 0)
            goto out;
    ac_buf_adds(out, "        :\n    }\n    trap ac_teardown EXIT\n");
    for (i = 0; i < teardown_at; i++)
        if (emit_step(e, &steps[i], ph, run, "    ", out) < 0)
            goto out;
    ac_buf_adds(out, ") || ac_rc=$?\n");
    rc = out->data ? 0 : -1;
out:
    free(steps);
    vars_free(ph);
    return rc;
}
