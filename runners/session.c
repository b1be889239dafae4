/* runners/session.c -- the engine's session with the target (engine.h).
 *
 * The tokens of the accounts and the app credentials, the token request
 * and the preflight of the active contract, and engine_request: what comes
 * before and beside the scenarios. Each token is registered with the
 * redactor as it is learned, and an answer that hands out one too short to
 * be kept out of the reports is refused. The requests go through
 * transfer_simple. */
#include "engine_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
const char *session_token(const struct engine *e, const char *account)
{
    size_t i;

    if (!account)
        account = "main";
    for (i = 0; i < e->ntokens; i++)
        if (strcmp(e->tokens[i].name, account) == 0)
            return e->tokens[i].token;
    return NULL;
}

const char *session_step_token(const struct engine *e, const struct step *st)
{
    return st->auth == STEP_AUTH_TOKEN     ? session_token(e, NULL)
           : st->auth == STEP_AUTH_ACCOUNT ? session_token(e, st->account)
           : st->auth == STEP_AUTH_INVALID ? INVALID_TOKEN
                                           : NULL;
}

int engine_has_token(const struct engine *e, const char *account)
{
    return session_token(e, account) != NULL;
}

int engine_set_token(struct engine *e, const char *account, const char *token)
{
    struct account_token *nt;
    size_t i;

    if (!account)
        account = "main";
    redact_add(e->red, token);
    for (i = 0; i < e->ntokens; i++) {
        if (strcmp(e->tokens[i].name, account) == 0) {
            char *t = ac_strdup(token);
            if (!t)
                return -1;
            free(e->tokens[i].token);
            e->tokens[i].token = t;
            return 0;
        }
    }
    nt = realloc(e->tokens, (e->ntokens + 1) * sizeof *nt);
    if (!nt)
        return -1;
    e->tokens = nt;
    nt[e->ntokens].name = ac_strdup(account);
    nt[e->ntokens].token = ac_strdup(token);
    if (!nt[e->ntokens].name || !nt[e->ntokens].token) {
        free(nt[e->ntokens].name);
        free(nt[e->ntokens].token);
        return -1;
    }
    e->ntokens++;
    return 0;
}

void engine_set_credentials(struct engine *e, const char *app_key, const char *app_secret)
{
    free(e->app_key);
    free(e->app_secret);
    e->app_key = ac_strdup(app_key);
    e->app_secret = ac_strdup(app_secret);
    redact_add(e->red, app_key);
    redact_add(e->red, app_secret);
}

int engine_request(struct engine *e, const char *method, const char *path, const char *extra_header,
                   const char *json_body, long *status, struct ac_buf *resp, struct ac_error *err)
{
    return transfer_simple(e, method, path, json_body, session_token(e, NULL), extra_header, status,
                           resp, err);
}

/* "400/4000002 "Missing parameters."" or the first bytes of a body: the
 * server's text masked, then cut, then made safe for a terminal. */
static void describe_answer(struct engine *e, long status, const struct ac_buf *body,
                            struct ac_buf *out)
{
    struct observed o;
    struct ac_buf red = AC_BUF_INIT;
    int cut;

    check_observe((int)status, NULL, 0, body->data, body->len, &o);
    if (o.has_code && o.has_message) {
        ac_buf_addf(out, "%ld/%lld \"", status, o.code);
        cut = redact_append_cut(e->red, o.message ? o.message : "",
                                o.message ? strlen(o.message) : 0, 200, &red);
        ac_buf_add_terminal_safe(out, red.data ? red.data : "", red.len);
        ac_buf_adds(out, cut > 0 ? "...\"" : "\"");
    } else if (body->len == 0) {
        ac_buf_addf(out, "%ld with an empty body", status);
    } else {
        ac_buf_addf(out, "%ld ", status);
        cut = redact_append_cut(e->red, body->data ? body->data : "", body->len, 120, &red);
        ac_buf_add_terminal_safe(out, red.data ? red.data : "", red.len);
        if (cut > 0)
            ac_buf_adds(out, "...");
    }
    ac_buf_release(&red);
    observed_release(&o);
}

int engine_fetch_token(struct engine *e, const char *account, const char *app_key,
                       const char *app_secret, struct ac_error *err)
{
    const struct contract *k = contract_or_builtin(contract_active());
    struct ac_buf resp = AC_BUF_INIT, why = AC_BUF_INIT;
    json_t *root = NULL, *tok;
    int nomem = 0;
    char *body = contract_token_body(k, app_key, app_secret, &nomem);
    long status = 0;
    int rc = -1;

    redact_add(e->red, app_key);
    redact_add(e->red, app_secret);
    if (nomem) {
        ac_error_nomem(err, NULL);
        goto out;
    }
    if (transfer_simple(e, k->token.method, k->token.path, body, NULL, NULL, &status, &resp, err) <
        0)
        goto out;
    root = json_loadb(resp.data ? resp.data : "", resp.len, 0, NULL);
    {
        /* learn_secrets, but the scheme word is no secret: an OAuth answer's
         * "token_type": "Bearer" masked would hide the scheme of every
         * Authorization line a report shows. */
        const char *name;
        json_t *val;
        json_object_foreach (json_is_object(root) ? root : NULL, name, val) {
            if (json_is_string(val) && redact_member_is_sensitive(name) &&
                strcasecmp(json_string_value(val), k->auth_scheme) != 0)
                redact_add(e->red, json_string_value(val));
        }
    }
    tok = contract_json_pointer(root, k->token_pointer);
    if (status < 200 || status > 299 || !json_is_string(tok) || !json_string_length(tok)) {
        describe_answer(e, status, &resp, &why);
        ac_error_set(err, AC_ERR_INVALID, NULL,
                     "cannot obtain a token for account '%s': %s %s answered %s",
                     account ? account : "main", k->token.method, k->token.path, why.data);
        goto out;
    }
    if (json_string_length(tok) < REDACT_MIN_SECRET) {
        /* It could not be kept out of the reports: do not use it. */
        ac_error_set(err, AC_ERR_INVALID, NULL,
                     "cannot obtain a token for account '%s': %s %s handed out a "
                     "token of %zu bytes, too short to keep out of reports (at least %d)",
                     account ? account : "main", k->token.method, k->token.path,
                     json_string_length(tok), REDACT_MIN_SECRET);
        goto out;
    }
    if (engine_set_token(e, account, json_string_value(tok)) < 0) {
        ac_error_nomem(err, NULL);
        goto out;
    }
    rc = 0;
out:
    json_decref(root);
    free(body);
    ac_buf_release(&resp);
    ac_buf_release(&why);
    return rc;
}

int engine_preflight(struct engine *e, struct ac_error *err)
{
    const struct contract *k = contract_or_builtin(contract_active());
    struct ac_buf resp = AC_BUF_INIT, why = AC_BUF_INIT;
    long status = 0;
    int rc = -1;

    if (transfer_simple(e, k->preflight.method, k->preflight.path, NULL, session_token(e, NULL),
                        NULL, &status, &resp, err) < 0)
        goto out;
    if (status < 200 || status > 299) {
        describe_answer(e, status, &resp, &why);
        ac_error_set(err, AC_ERR_INVALID, NULL,
                     "preflight: %s %s with the main token answered %s; "
                     "check --base-url and the credentials",
                     k->preflight.method, k->preflight.path, why.data);
        goto out;
    }
    rc = 0;
out:
    ac_buf_release(&resp);
    ac_buf_release(&why);
    return rc;
}
